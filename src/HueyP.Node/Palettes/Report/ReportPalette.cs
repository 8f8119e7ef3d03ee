using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HueyP.Domain.Performance;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Node.Cli;
using HueyP.Persistence;
using Spectre.Console;

namespace HueyP.Node.Palettes.Report;

/// <summary>
/// `hueyp report`: the performance report (returns, risk, trades) and a TCA summary, either from a journal — NAV by UTC
/// day and closed trades folded from the ledger's events, TCA from the orders' fills — or from a CSV of periodic returns.
/// Reads files only: no node needed.
/// </summary>
public sealed class ReportPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var report = new Command("report", "Performance report (Sharpe, drawdown, trades) and TCA from a journal or a returns CSV");
        var db = new Option<string?>("--db") { Description = "SQLite journal written by `hueyp replay --db FILE` or a node" };
        var returns = new Option<string?>("--returns") { Description = "CSV of periodic returns, one per line (last column; a header line is skipped)" };
        var periods = new Option<int>("--periods-per-year") { Description = "Periods per year for annualising (252 for daily)", DefaultValueFactory = _ => 252 };
        report.Options.Add(db);
        report.Options.Add(returns);
        report.Options.Add(periods);
        report.SetAction(async (parsed, ct) =>
        {
            var json = context.WantsJson(parsed);
            var dbPath = parsed.GetValue(db);
            var csv = parsed.GetValue(returns);
            if ((dbPath is null) == (csv is null)) throw new CommandFailedException("give exactly one of --db FILE or --returns CSV");
            JsonObject output;
            if (csv is not null)
            {
                var series = ReadReturns(csv);
                var performance = PerformanceReport.Create(series, parsed.GetValue(periods), []);
                output = new JsonObject { ["source"] = csv, ["performance"] = JsonSerializer.SerializeToNode(performance, ReportJson.Options) };
                if (json) context.Output.WriteLine(output.ToJsonString(ReportJson.Options));
                else RenderPerformance(context, performance);
                return ExitCodes.Ok;
            }

            await using var store = JournalFiles.OpenSqlite(dbPath!);
            var result = await JournalAnalysis.PerformanceAsync(store, ct: ct);
            output = new JsonObject
            {
                ["source"] = dbPath,
                ["days"] = result.DailyNav.Count,
                ["nav"] = result.Ledger.Nav,
                ["realized_pnl"] = result.Ledger.RealizedPnl,
                ["fees"] = result.Ledger.FeesPaid,
                ["performance"] = JsonSerializer.SerializeToNode(result.Report, ReportJson.Options),
                ["tca"] = new JsonObject
                {
                    ["orders"] = result.Tca.Count,
                    ["implementation_shortfall_bps"] = result.Tca.Count == 0 ? null : Math.Round(result.Tca.Average(t => t.ImplementationShortfallBps), 4),
                    ["shortfall_cost"] = result.Tca.Sum(t => t.ShortfallCost),
                    ["daily"] = JsonSerializer.SerializeToNode(result.DailyTca, ReportJson.Options),
                },
            };
            if (json) context.Output.WriteLine(output.ToJsonString(ReportJson.Options));
            else
            {
                RenderPerformance(context, result.Report);
                var tca = new Table().Border(TableBorder.Rounded).AddColumns("day", "symbol", "orders", "shortfall bps", "cost", "submit→fill");
                foreach (var d in result.DailyTca)
                    tca.AddRow(d.TradeDateUtc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Symbol, d.Orders.ToString(CultureInfo.InvariantCulture),
                        d.ImplementationShortfallBps.ToString(CultureInfo.InvariantCulture), d.ShortfallCost.ToString("N2", CultureInfo.InvariantCulture),
                        d.AverageSubmitToFirstFill.ToString());
                context.Console.Write(tca);
                context.Console.MarkupLineInterpolated($"NAV [bold]{result.Ledger.Nav:N2}[/] over {result.DailyNav.Count} day(s)");
            }
            return ExitCodes.Ok;
        });
        return report;
    }

    internal static List<double> ReadReturns(string path)
    {
        if (!File.Exists(path)) throw new CommandFailedException($"no returns file at {path}");
        var values = new List<double>();
        var line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var field = raw.Split(',')[^1].Trim();
            if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) values.Add(value);
            else if (line > 1) throw new CommandFailedException($"{path}:{line}: '{field}' is not a number");
        }
        return values;
    }

    private static void RenderPerformance(CliContext context, PerformanceReport r)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("performance").AddColumn(new TableColumn("").RightAligned());
        string P(double? v) => v is { } x ? x.ToString("P2", CultureInfo.InvariantCulture) : "-";
        string F(double? v) => v is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "-";
        table.AddRow("observations", r.Observations.ToString(CultureInfo.InvariantCulture));
        table.AddRow("total return", P(r.TotalReturn));
        table.AddRow("CAGR", P(r.Cagr));
        table.AddRow("annual volatility", P(r.AnnualVolatility));
        table.AddRow("Sharpe", F(r.Sharpe));
        table.AddRow("Sortino", F(r.Sortino));
        table.AddRow("max drawdown", P(r.MaxDrawdown));
        table.AddRow("max drawdown duration (periods)", r.MaxDrawdownDurationPeriods.ToString(CultureInfo.InvariantCulture));
        table.AddRow("Calmar", F(r.Calmar));
        table.AddRow("VaR 95 %", P(r.ValueAtRisk95));
        table.AddRow("expected shortfall 95 %", P(r.ExpectedShortfall95));
        table.AddRow("trades", r.Trades.TradeCount.ToString(CultureInfo.InvariantCulture));
        table.AddRow("win rate", P(r.Trades.WinRate));
        table.AddRow("profit factor", F(r.Trades.ProfitFactor));
        context.Console.Write(table);
    }
}

internal static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };
}
