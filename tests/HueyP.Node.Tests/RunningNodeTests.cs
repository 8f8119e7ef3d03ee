using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HueyP.Node.Cli;

namespace HueyP.Node.Tests;

public sealed class RunningNodeTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Node_status_reports_the_configured_identity()
    {
        var run = await CliHarness.RunAsync(_node.Cli("node", "status", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("test-node", run.Json.GetProperty("node").GetString());
        Assert.Equal("standalone", run.Json.GetProperty("role").GetString());
        Assert.True(run.Json.GetProperty("actors").GetInt32() >= 2, run.ToString());
    }

    [Fact]
    public async Task The_manifest_is_written_at_start_and_served_by_the_node()
    {
        var run = await CliHarness.RunAsync(_node.Cli("node", "manifest", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var onDisk = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_node.Folder, "manifest.json"))).RootElement;
        Assert.Equal("test-node", onDisk.GetProperty("node").GetString());
        Assert.Equal($"http://{_node.Address}", onDisk.GetProperty("admin_endpoint").GetString());
        Assert.Equal(64, onDisk.GetProperty("config_hash").GetString()!.Length);
        Assert.Equal(onDisk.GetProperty("config_hash").GetString(), run.Json.GetProperty("config_hash").GetString());
        Assert.False(string.IsNullOrEmpty(onDisk.GetProperty("git_commit").GetString()));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_token_file_is_readable_only_by_its_owner()
    {
        var mode = File.GetUnixFileMode(_node.TokenFile);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-token-at-all")]
    public async Task Without_the_right_token_every_call_is_refused_and_nothing_is_done(string? token)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_node.Address}") };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var status = await http.GetAsync("/api/node/status");
        var shutdown = await http.PostAsync("/api/node/shutdown", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, shutdown.StatusCode);
        Assert.False(_node.Node.Runtime.ShutdownRequested.IsCompleted);
        var audit = await File.ReadAllLinesAsync(Path.Combine(_node.Folder, "logs", "audit.jsonl"));
        Assert.Contains(audit, line => line.Contains("/api/node/shutdown") && line.Contains("\"allowed\":false"));
    }

    [Fact]
    public async Task The_cli_with_a_wrong_token_file_fails_with_a_clear_message()
    {
        var wrong = Path.GetTempFileName();
        await File.WriteAllTextAsync(wrong, "definitely-not-the-token");

        var run = await CliHarness.RunAsync("node", "status", "--node", _node.Address, "--token-file", wrong);

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains("401", run.Error);
    }

    [Fact]
    public async Task Shutdown_is_audited_with_its_reason_and_stops_the_node()
    {
        var run = await CliHarness.RunAsync(_node.Cli("node", "shutdown", "--reason", "end of test", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("end of test", await _node.Node.Runtime.ShutdownRequested.WaitAsync(TimeSpan.FromSeconds(5)));
        var audit = await File.ReadAllLinesAsync(Path.Combine(_node.Folder, "logs", "audit.jsonl"));
        Assert.Contains(audit, line => line.Contains("/api/node/shutdown") && line.Contains("\"allowed\":true"));
    }

    [Fact]
    public async Task Actor_hierarchy_shows_the_user_guardian()
    {
        var run = await CliHarness.RunAsync(_node.Cli("actor", "hierarchy", "--path", "/user", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("user", run.Json.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Crashing_an_unknown_path_fails_and_says_so()
    {
        var run = await CliHarness.RunAsync(_node.Cli("actor", "crash", "/user/nobody-here"));

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains("/user/nobody-here", run.Error);
    }

    [Fact]
    public async Task Log_tail_shows_what_the_node_logged()
    {
        var run = await CliHarness.RunAsync(_node.Cli("log", "tail", "-n", "20", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains(run.Json.EnumerateArray(), e => e.GetProperty("message").GetString()!.Contains("Node \"test-node\" started"));
    }

    [Fact]
    public async Task Log_tail_filters_by_level()
    {
        var run = await CliHarness.RunAsync(_node.Cli("log", "tail", "--level", "Error", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.All(run.Json.EnumerateArray(), e => Assert.Contains(e.GetProperty("level").GetString(), new[] { "Error", "Fatal" }));
    }

    [Fact]
    public async Task The_engine_runs_under_the_node_and_shows_in_the_actor_tree()
    {
        var run = await CliHarness.RunAsync(_node.Cli("actor", "hierarchy", "--path", "/user/engine", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        var children = run.Json.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("symbols", children);
        Assert.Contains("gates", children);
        Assert.Contains("decisions", children);
    }

    [Fact]
    public async Task Symbols_show_lists_the_configured_symbols()
    {
        var run = await CliHarness.RunAsync(_node.Cli("symbols", "show", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(["EURUSD", "GBPUSD"], run.Json.EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
    }

    [Fact]
    public async Task Symbols_show_for_a_symbol_the_node_does_not_trade_fails_and_says_so()
    {
        var run = await CliHarness.RunAsync(_node.Cli("symbols", "show", "USDXYZ"));

        Assert.Equal(ExitCodes.CommandFailed, run.ExitCode);
        Assert.Contains("USDXYZ", run.Error);
    }

    [Fact]
    public async Task Gates_show_lists_the_constraint_repository()
    {
        var run = await CliHarness.RunAsync(_node.Cli("gates", "show", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.True(run.Json.GetProperty("constraints").GetArrayLength() >= 10, run.Output);
    }

    [Fact]
    public async Task Decisions_tail_answers_with_the_recorder_state()
    {
        var run = await CliHarness.RunAsync(_node.Cli("decisions", "tail", "-n", "5", "--json"));

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(0, run.Json.GetProperty("stats").GetProperty("signals").GetInt64());
    }

    [Fact]
    public async Task Crashing_an_engine_actor_restarts_it_and_the_restart_shows_in_the_tree()
    {
        var crash = await CliHarness.RunAsync(_node.Cli("actor", "crash", "/user/engine/gates"));
        Assert.Equal(ExitCodes.Ok, crash.ExitCode);

        var restarts = 0;
        for (var attempt = 0; attempt < 100 && restarts == 0; attempt++)
        {
            var tree = await CliHarness.RunAsync(_node.Cli("actor", "hierarchy", "--path", "/user/engine/gates", "--json"));
            restarts = tree.Json.GetProperty("restarts").GetInt32();
        }

        Assert.Equal(1, restarts);
        var gates = await CliHarness.RunAsync(_node.Cli("gates", "show", "--json"));
        Assert.Equal(ExitCodes.Ok, gates.ExitCode);
    }

    [Fact]
    public async Task A_fresh_node_is_in_NORMAL_mode_with_every_breaker_closed()
    {
        var mode = await CliHarness.RunAsync(_node.Cli("mode", "show", "--json"));
        var breakers = await CliHarness.RunAsync(_node.Cli("breakers", "show", "--json"));

        Assert.True(mode.ExitCode == ExitCodes.Ok, mode.ToString());
        Assert.Equal("NORMAL", mode.Json.GetProperty("mode").GetString());
        Assert.True(breakers.ExitCode == ExitCodes.Ok, breakers.ToString());
        var all = breakers.Json.GetProperty("breakers").EnumerateArray().ToList();
        Assert.Equal(6, all.Count);
        Assert.All(all, b => Assert.Equal("Closed", b.GetProperty("status").GetString(), ignoreCase: true));
    }

    [Fact]
    public async Task Clearing_a_mode_that_is_not_SAFE_MODE_is_refused_and_changes_nothing()
    {
        var clear = await CliHarness.RunAsync(_node.Cli("mode", "clear", "--reason", "test"));
        var mode = await CliHarness.RunAsync(_node.Cli("mode", "show", "--json"));

        Assert.Equal(ExitCodes.CommandFailed, clear.ExitCode);
        Assert.Equal("NORMAL", mode.Json.GetProperty("mode").GetString());
    }
}
