using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HueyP.Engine.Ledger;
using HueyP.Node.Cli;
using HueyP.Node.Palettes.Report;
using Spectre.Console;

namespace HueyP.Node.Palettes.Ledger;

/// <summary>`hueyp ledger show --db FILE`: cash, positions, P&amp;L, NAV, drawdown and the state hash, folded from the journal.</summary>
public sealed class LedgerPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var ledger = new Command("ledger", "The account ledger from the journal (no node needed)");
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
}
