using System.CommandLine;
using System.Text.Json;
using HueyP.Engine.Ledger;
using HueyP.Node.Admin;
using HueyP.Node.Cli;
using Spectre.Console;

namespace HueyP.Node.Palettes.State;

/// <summary>
/// `hueyp state rebuild`: folds every event of the journal into fresh order and ledger state with the domain's pure
/// Apply functions and compares the ledger's hash with the one the ledger itself would recover (its latest snapshot
/// plus the events after it). With --db it reads a journal file; without, it asks the running node, which also puts
/// the hashes of the state its actors hold beside them. Equal hashes prove the state is derived from the journal and
/// nothing else. Exit 1 when they differ.
/// </summary>
public sealed class StatePalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var state = new Command("state", "Rebuild order and ledger state from the journal and check it");
        var rebuild = new Command("rebuild", "Replay the whole journal into fresh state and compare hashes with the ledger's snapshot and the running node's state");
        var db = new Option<string>("--db") { Description = "A SQLite journal file to rebuild offline; without it the running node rebuilds its own journal" };
        rebuild.Options.Add(db);
        rebuild.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(db) is { } file)
            {
                await using var store = JournalFiles.OpenSqlite(file);
                var wire = StateRebuildWire.Of(await JournalAnalysis.RebuildAsync(store, ct: ct));
                if (context.WantsJson(parsed)) context.Output.WriteLine(JsonSerializer.Serialize(wire, AdminWire.Options));
                else Render(context, JsonSerializer.SerializeToElement(wire, AdminWire.Options));
                return wire.Consistent ? ExitCodes.Ok : ExitCodes.CommandFailed;
            }

            var consistent = true;
            var code = await NodeCall.RunAsync(context, parsed, async (c, t) =>
            {
                var json = await c.GetAsync("/api/state/rebuild", t);
                consistent = json.GetProperty("consistent").GetBoolean();
                return json;
            }, json => Render(context, json), ct);
            return code == ExitCodes.Ok && !consistent ? ExitCodes.CommandFailed : code;
        });
        state.Subcommands.Add(rebuild);
        return state;
    }

    private static void Render(CliContext context, JsonElement r)
    {
        string S(string name) => r.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Markup.Escape(v.ToString()) : "";
        var table = new Table().Border(TableBorder.Rounded).AddColumn("state rebuild").AddColumn("");
        table.AddRow("events read", r.GetProperty("events").GetInt64().ToString("N0"));
        table.AddRow("orders", r.GetProperty("orders").GetInt32().ToString("N0"));
        table.AddRow("ledger events", r.GetProperty("ledger_events").GetInt64().ToString("N0"));
        table.AddRow("rebuilt ledger hash", S("rebuilt_ledger_hash"));
        table.AddRow($"ledger's own hash (snapshot #{(S("snapshot_sequence_nr") is { Length: > 0 } n ? n : "none")} + tail)", S("journal_ledger_hash"));
        table.AddRow("orders hash", S("orders_hash"));
        table.AddRow("state hash (rebuilt)", S("state_hash"));
        if (S("node_state_hash") is { Length: > 0 } held) table.AddRow("state hash (held by the node)", held);
        context.Console.Write(table);
        context.Console.MarkupLine(r.GetProperty("consistent").GetBoolean()
            ? "[green]CONSISTENT[/]"
            : "[red]MISMATCH[/]: the state held is not what the journal's events give");
    }
}
