using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HueyP.Engine.Ledger;
using HueyP.Node.Cli;
using HueyP.Node.Palettes.Report;
using Spectre.Console;

namespace HueyP.Node.Palettes.Ledger;

/// <summary>
/// `hueyp ledger show --db FILE`: cash, positions, P&amp;L, NAV, drawdown and the state hash, folded from the journal;
/// `hueyp ledger positions | pnl | nav [--db FILE]`: the running node's ledger, or a journal file's with --db.
/// </summary>
public sealed class LedgerPalette : ICommandPalette
{
    private static readonly string[] PnlFields = ["realized_pnl", "unrealized_pnl", "fees", "daily_pnl", "session_drawdown", "max_drawdown"];
    private static readonly string[] NavFields = ["nav", "cash", "unrealized_pnl", "margin_used", "free_margin", "gross_exposure", "net_exposure"];

    public Command Build(CliContext context)
    {
        var ledger = new Command("ledger", "The account ledger: of the running node (positions, pnl, nav), or folded from a journal file (show, or any with --db)");
        ledger.Subcommands.Add(View(context, "positions", "Open positions with average price, mark, unrealized P&L and exposure", json =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("symbol", "quantity", "avg price", "mark", "unrealized P&L", "realized P&L", "exposure");
            foreach (var p in json["positions"]!.AsObject())
            {
                var v = p.Value!;
                table.AddRow(p.Key, Text(v["quantity"]), Text(v["average_price"]), Text(v["mark"]), Text(v["unrealized_pnl"]), Text(v["realized_pnl"]), Text(v["exposure"]));
            }
            return table;
        }, "positions"));
        ledger.Subcommands.Add(View(context, "pnl", "Realized and unrealized P&L, fees, today's P&L and drawdowns", Fields(PnlFields), PnlFields));
        ledger.Subcommands.Add(View(context, "nav", "NAV, cash, margin and exposure", Fields(NavFields), NavFields));
        var show = new Command("show", "Cash, positions, P&L, NAV, drawdown and the ledger hash");
        var db = JournalFiles.DbOption();
        show.Options.Add(db);
        show.SetAction(async (parsed, ct) =>
        {
            await using var store = JournalFiles.OpenSqlite(parsed.GetValue(db)!);
            var r = await JournalAnalysis.RebuildAsync(store, ct: ct);
            var s = r.Ledger;
            if (context.WantsJson(parsed))
            {
                var positions = new JsonObject();
                foreach (var (symbol, p) in s.Positions) positions[symbol] = new JsonObject { ["quantity"] = p.Quantity, ["average_price"] = p.AveragePrice, ["realized_pnl"] = p.RealizedPnl };
                context.Output.WriteLine(new JsonObject
                {
                    ["cash"] = s.Cash, ["realized_pnl"] = s.RealizedPnl, ["unrealized_pnl"] = s.UnrealizedPnl, ["fees"] = s.FeesPaid, ["nav"] = s.Nav,
                    ["max_drawdown"] = s.MaxDrawdown, ["gross_exposure"] = s.GrossExposure, ["positions"] = positions, ["ledger_hash"] = r.RebuiltLedgerHash,
                }.ToJsonString());
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumn("ledger").AddColumn(new TableColumn("").RightAligned());
            var n = CultureInfo.InvariantCulture;
            table.AddRow("cash", s.Cash.ToString("N2", n));
            table.AddRow("realized P&L", s.RealizedPnl.ToString("N2", n));
            table.AddRow("unrealized P&L", s.UnrealizedPnl.ToString("N2", n));
            table.AddRow("fees", s.FeesPaid.ToString("N2", n));
            table.AddRow("NAV", s.Nav.ToString("N2", n));
            table.AddRow("max drawdown", s.MaxDrawdown.ToString("N2", n));
            foreach (var (symbol, p) in s.Positions.Where(p => !p.Value.IsFlat))
                table.AddRow($"position {symbol}", $"{p.Quantity.ToString(n)} @ {p.AveragePrice.ToString("0.#####", n)}");
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"ledger sha256 {r.RebuiltLedgerHash}");
            return ExitCodes.Ok;
        });
        ledger.Subcommands.Add(show);
        return ledger;
    }

    private static Func<JsonObject, Table> Fields(string[] fields) => json =>
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("ledger").AddColumn(new TableColumn("").RightAligned());
        foreach (var f in fields) table.AddRow(f.Replace('_', ' '), Text(json[f]));
        return table;
    };

    private static string Text(JsonNode? node) =>
        node is null ? "" : node.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? node.GetValue<decimal>().ToString("#,0.#####", CultureInfo.InvariantCulture)
            : Markup.Escape(node.ToString());

    /// <summary>One view of the ledger: from the node, or from the journal file given with --db; --json prints just those fields.</summary>
    private static Command View(CliContext context, string name, string description, Func<JsonObject, Table> render, params string[] fields)
    {
        var command = new Command(name, description);
        var db = new Option<string?>("--db") { Description = "Fold this SQLite journal file instead of asking the running node" };
        command.Options.Add(db);
        command.SetAction(async (parsed, ct) =>
        {
            JsonObject full;
            if (parsed.GetValue(db) is { } path)
            {
                await using var store = JournalFiles.OpenSqlite(path);
                var r = await JournalAnalysis.RebuildAsync(store, ct: ct);
                full = LedgerWire.Of(r.Ledger, r.RebuiltLedgerHash, "journal");
            }
            else
            {
                using var client = await NodeCall.ConnectAsync(context, parsed, ct);
                full = JsonNode.Parse((await client.GetAsync("/api/ledger", ct)).GetRawText())!.AsObject();
            }

            var selected = new JsonObject { ["source"] = full["source"]?.DeepClone() };
            foreach (var f in fields) selected[f] = full[f]?.DeepClone();
            if (context.WantsJson(parsed))
            {
                await context.Output.WriteLineAsync(selected.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            context.Console.Write(render(selected));
            context.Console.MarkupLineInterpolated($"from the {full["source"]?.ToString()}; ledger sha256 {full["ledger_hash"]?.ToString()}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
