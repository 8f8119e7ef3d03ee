using HueyP.Node.Cli;

namespace HueyP.Node.Tests;

/// <summary>`hueyp replay` over the shipped real data: the same data gives the same decisions, to the hash.</summary>
public sealed class ReplayCommandTests
{
    private static string DataFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "fx");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("data/fx (the shipped market data) was not found above the test folder");
    }

    private static Task<CliRun> Replay(params string[] extra) =>
        CliHarness.RunAsync(["replay", "--data", DataFolder(), "--symbols", "EURUSD,GBPUSD", "--from", "2025-04-01T00:00:00Z", "--to", "2025-04-08T00:00:00Z", "--json", .. extra]);

    [Fact]
    public async Task Two_replays_of_the_same_data_print_the_same_hash()
    {
        var first = await Replay();
        var second = await Replay();

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        var hash = first.Json.GetProperty("sha256").GetString();
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, second.Json.GetProperty("sha256").GetString());
        Assert.True(first.Json.GetProperty("ticks").GetInt64() > 10_000, first.Output);
    }

    [Fact]
    public async Task Another_strategy_timeframe_makes_other_decisions()
    {
        var m15 = await Replay("--timeframe", "M15");
        var m5 = await Replay("--timeframe", "M5");

        Assert.NotEqual(m15.Json.GetProperty("sha256").GetString(), m5.Json.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_replay_logs_through_serilog_and_writes_the_run_manifest()
    {
        var folder = Directory.CreateTempSubdirectory("hueyp-replay-run").FullName;
        var config = Path.Combine(folder, "replay.conf");
        await File.WriteAllTextAsync(config, $$"""
            include "{{Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf")}}"
            hueyp.node { name = "replayer", run-dir = "{{folder}}" }
            """);

        var run = await Replay("--config", config, "--db", Path.Combine(folder, "journal.db"));

        Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
        var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json"))).RootElement;
        Assert.Equal("replayer", manifest.GetProperty("node").GetString());
        Assert.Equal("replay", manifest.GetProperty("mode").GetString());
        Assert.Equal(Path.Combine(folder, "journal.db"), manifest.GetProperty("database_location").GetString());
        var log = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(folder, "logs"), "hueyp-*.json").Single());
        Assert.Contains("Replay decided", log);
        Assert.Contains(run.Json.GetProperty("sha256").GetString()!, log);
    }

    [Fact]
    public async Task The_strategy_comes_from_the_configuration()
    {
        var folder = Directory.CreateTempSubdirectory("hueyp-replay-strategy").FullName;
        var config = Path.Combine(folder, "m5.conf");
        await File.WriteAllTextAsync(config, $$"""
            include "{{Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf")}}"
            hueyp.node.run-dir = "{{folder}}"
            hueyp.strategy.timeframe = M5
            """);

        var configured = await Replay("--config", config, "--no-orders");
        var flag = await Replay("--timeframe", "M5", "--no-orders");

        Assert.True(configured.ExitCode == ExitCodes.Ok, configured.ToString());
        Assert.Equal(flag.Json.GetProperty("sha256").GetString(), configured.Json.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task A_missing_data_folder_is_a_clear_error()
    {
        var run = await CliHarness.RunAsync("replay", "--data", "/nonexistent/hueyp-data", "--json");

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("/nonexistent/hueyp-data", run.Error + run.Output);
    }
}
