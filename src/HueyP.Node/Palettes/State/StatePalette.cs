using System.CommandLine;
using System.Text.Json.Nodes;
using HueyP.Engine.Ledger;
using HueyP.Node.Cli;
using HueyP.Node.Palettes.Report;
using Spectre.Console;

namespace HueyP.Node.Palettes.State;

/// <summary>
/// `hueyp state rebuild`: folds every event of the journal into fresh order and ledger state with the domain's pure
/// Apply functions and compares the ledger's hash with the one the ledger itself would recover (its latest snapshot
/// plus the events after it). Equal hashes prove the state is derived from the journal and nothing else. Exit 1 when
/// they differ.
/// </summary>
public sealed class StatePalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var state = new Command("state", "Rebuild order and ledger state from the journal and check it");
        var rebuild = new Command("rebuild", "Replay the whole journal into fresh state and compare hashes with the ledger's snapshot/state");
        var db = JournalFiles.DbOption();
        rebuild.Options.Add(db);
        rebuild.SetAction(async (parsed, ct) =>
        {
            await using var store = JournalFiles.OpenSqlite(parsed.GetValue(db)!);
            var r = await JournalAnalysis.RebuildAsync(store, ct: ct);
            if (context.WantsJson(parsed))
            {
                context.Output.WriteLine(new JsonObject
                {
                    ["events"] = r.Events,
                    ["orders"] = r.Orders,
                    ["ledger_events"] = r.LedgerEvents,
                    ["rebuilt_ledger_hash"] = r.RebuiltLedgerHash,
                    ["journal_ledger_hash"] = r.JournalLedgerHash,
                    ["snapshot_sequence_nr"] = r.SnapshotSequenceNr,
                    ["orders_hash"] = r.OrdersHash,
                    ["state_hash"] = r.StateHash,
                    ["consistent"] = r.Consistent,
                }.ToJsonString());
            }
            else
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumn("state rebuild").AddColumn("");
                table.AddRow("events read", r.Events.ToString("N0"));
                table.AddRow("orders", r.Orders.ToString("N0"));
                table.AddRow("ledger events", r.LedgerEvents.ToString("N0"));
                table.AddRow("rebuilt ledger hash", r.RebuiltLedgerHash);
                table.AddRow($"ledger's own hash (snapshot #{r.SnapshotSequenceNr?.ToString() ?? "none"} + tail)", r.JournalLedgerHash);
                table.AddRow("orders hash", r.OrdersHash);
                table.AddRow("state hash", r.StateHash);
                context.Console.Write(table);
                context.Console.MarkupLine(r.Consistent ? "[green]CONSISTENT[/]" : "[red]MISMATCH[/]: the ledger's state is not what its events give");
            }
            return r.Consistent ? ExitCodes.Ok : 1;
        });
        state.Subcommands.Add(rebuild);
        return state;
    }
}
