using HueyP.Node.Cli;

namespace HueyP.Node.Tests;

/// <summary>`hueyp replay` with the order side, then `hueyp state rebuild` and `hueyp report` on its journal.</summary>
public sealed class OrdersCommandTests
{
    private static string DataFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "fx");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("data/fx (the shipped market data) was not found above the test folder");
    }

    private static string TempDb() => Path.Combine(Path.GetTempPath(), "hueyp-node-tests", Guid.NewGuid().ToString("N"), "journal.db");

    private static Task<CliRun> Replay(string db) =>
        CliHarness.RunAsync("replay", "--data", DataFolder(), "--symbols", "EURUSD,GBPUSD", "--from", "2025-04-01T00:00:00Z", "--to", "2025-04-04T00:00:00Z",
            "--timeframe", "M5", "--db", db, "--json");

    [Fact]
    public async Task Two_replays_with_orders_on_fresh_journals_print_the_same_state_hash_and_the_rebuild_agrees()
    {
        var firstDb = TempDb();
        var first = await Replay(firstDb);
        var second = await Replay(TempDb());

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        var orders = first.Json.GetProperty("orders");
        Assert.True(orders.GetProperty("orders").GetInt64() > 0, first.Output);
        Assert.True(orders.GetProperty("fills").GetInt64() > 0, first.Output);
        Assert.True(orders.TryGetProperty("nav", out _));
        Assert.True(orders.TryGetProperty("rejects", out _));
        var hash = orders.GetProperty("state_hash").GetString();
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, second.Json.GetProperty("orders").GetProperty("state_hash").GetString());

        var rebuild = await CliHarness.RunAsync("state", "rebuild", "--db", firstDb, "--json");
        Assert.Equal(ExitCodes.Ok, rebuild.ExitCode);
        Assert.True(rebuild.Json.GetProperty("consistent").GetBoolean(), rebuild.Output);
        Assert.Equal(rebuild.Json.GetProperty("rebuilt_ledger_hash").GetString(), rebuild.Json.GetProperty("journal_ledger_hash").GetString());
        Assert.Equal(hash, rebuild.Json.GetProperty("state_hash").GetString());

        var list = await CliHarness.RunAsync("orders", "list", "--db", firstDb, "--json");
        Assert.Equal(ExitCodes.Ok, list.ExitCode);
        Assert.Equal(orders.GetProperty("orders").GetInt64(), list.Json.GetArrayLength());
        var ledger = await CliHarness.RunAsync("ledger", "show", "--db", firstDb, "--json");
        Assert.Equal(ExitCodes.Ok, ledger.ExitCode);
        Assert.Equal(orders.GetProperty("ledger_hash").GetString(), ledger.Json.GetProperty("ledger_hash").GetString());

        var report = await CliHarness.RunAsync("report", "--db", firstDb, "--json");
        Assert.Equal(ExitCodes.Ok, report.ExitCode);
        Assert.True(report.Json.GetProperty("performance").GetProperty("trades").GetProperty("trade_count").GetInt32() > 0, report.Output);
        Assert.True(report.Json.GetProperty("tca").GetProperty("orders").GetInt32() > 0, report.Output);
    }

    [Fact]
    public async Task A_report_from_a_returns_csv_gives_the_performance_figures()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"hueyp-returns-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(csv, ["date,return", "2025-04-01,0.01", "2025-04-02,-0.02", "2025-04-03,0.015", "2025-04-04,0.005"]);

        var run = await CliHarness.RunAsync("report", "--returns", csv, "--json");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var performance = run.Json.GetProperty("performance");
        Assert.Equal(4, performance.GetProperty("observations").GetInt32());
        Assert.True(performance.GetProperty("max_drawdown").GetDouble() < 0);
    }

    [Fact]
    public async Task Report_and_rebuild_without_a_journal_are_clear_errors()
    {
        var report = await CliHarness.RunAsync("report", "--db", "/nonexistent/hueyp.db", "--json");
        var rebuild = await CliHarness.RunAsync("state", "rebuild", "--db", "/nonexistent/hueyp.db");

        Assert.NotEqual(ExitCodes.Ok, report.ExitCode);
        Assert.Contains("/nonexistent/hueyp.db", report.Error + report.Output);
        Assert.NotEqual(ExitCodes.Ok, rebuild.ExitCode);
    }
}
