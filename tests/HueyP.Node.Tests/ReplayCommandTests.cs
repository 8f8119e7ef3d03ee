using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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

    [Fact]
    public async Task A_replay_with_the_dashboard_prints_its_address_serves_it_and_keeps_the_same_hashes()
    {
        var folder = Directory.CreateTempSubdirectory("hueyp-replay-deck").FullName;
        var config = Path.Combine(folder, "deck.conf");
        await File.WriteAllTextAsync(config, $$"""
            include "{{Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf")}}"
            hueyp.node.run-dir = "{{folder}}"
            hueyp.admin.port = 0
            """);
        var plain = await Replay("--config", config, "--db", Path.Combine(folder, "plain.db"));
        Assert.True(plain.ExitCode == ExitCodes.Ok, plain.ToString());

        var output = new LockedWriter();
        var error = new LockedWriter();
        using var stop = new CancellationTokenSource();
        var served = CliApp.RunAsync(["replay", "--data", DataFolder(), "--symbols", "EURUSD,GBPUSD", "--from", "2025-04-01T00:00:00Z", "--to", "2025-04-08T00:00:00Z",
            "--json", "--config", config, "--db", Path.Combine(folder, "deck.db"), "--dashboard", "--serve"], output, error, PaletteRegistry.All, stop.Token);

        // The address comes first (on stderr with --json, so stdout stays one JSON object), then the summary.
        var announced = await Eventually(() => Regex.Match(error.ToString(), @"dashboard: (http://127\.0\.0\.1:\d+/) \(token: ([^)]+)\)"), m => m.Success, "the dashboard address", served);
        await Eventually(() => output.ToString(), o => o.Contains("state_hash"), "the replay's summary", served);
        using var http = new HttpClient { BaseAddress = new Uri(announced.Groups[1].Value) };
        var refused = await http.GetAsync("api/dashboard/state");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(announced.Groups[2].Value)).Trim());
        // Still serving after the replay: the final state, with the ticks the replay processed.
        var frame = await Eventually(async () => JsonDocument.Parse(await http.GetStringAsync("api/dashboard/state")).RootElement,
            f => f.GetProperty("telemetry").GetBoolean() && f.GetProperty("snapshot").GetProperty("ticks_total").GetInt64() > 10_000, "the replay's ticks on the dashboard", served);
        var page = await http.GetStringAsync("/");
        stop.Cancel();
        var exit = await served;

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("HueyP", page);
        // A replay's results depend on its data alone: no control may change its trading.
        Assert.False(frame.GetProperty("controls").GetProperty("hold_entries").GetProperty("available").GetBoolean());
        Assert.False(frame.GetProperty("controls").GetProperty("kill_switch").GetProperty("available").GetBoolean());
        Assert.Equal(ExitCodes.Ok, exit);
        var deck = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(plain.Json.GetProperty("sha256").GetString(), deck.GetProperty("sha256").GetString());
        Assert.Equal(plain.Json.GetProperty("orders").GetProperty("state_hash").GetString(), deck.GetProperty("orders").GetProperty("state_hash").GetString());
    }

    [Fact]
    public async Task Serve_without_the_dashboard_is_a_clear_error()
    {
        var run = await Replay("--serve");

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("--dashboard", run.Error + run.Output);
    }

    private static Task<T> Eventually<T>(Func<T> read, Func<T, bool> ready, string what, Task running) =>
        Eventually(() => Task.FromResult(read()), ready, what, running);

    /// <summary>Polls until <paramref name="ready"/>; fails after 120 s, or at once when the command ended first.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> ready, string what, Task running)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var value = await read();
            if (ready(value)) return value;
            Assert.False(running.IsCompleted, $"the replay ended before it showed {what}");
            Assert.True(DateTime.UtcNow < deadline, $"never saw {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>A StringWriter the test may read while the command writes to it.</summary>
    private sealed class LockedWriter : StringWriter
    {
        private readonly Lock _gate = new();

        public override void Write(char value) { lock (_gate) base.Write(value); }

        public override void Write(string? value) { lock (_gate) base.Write(value); }

        public override void Write(char[] buffer, int index, int count) { lock (_gate) base.Write(buffer, index, count); }

        public override void WriteLine(string? value) { lock (_gate) base.WriteLine(value); }

        public override string ToString() { lock (_gate) return base.ToString(); }
    }
}
