using System.Net;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Domain.Market;
using HueyP.Node.Bridge;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using Xunit.Abstractions;

namespace HueyP.Node.Tests;

/// <summary>A node hosting the bridge, driven by the EA simulator over real loopback transports and by the CLI.</summary>
public sealed class BridgeNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "node-test-shared-key";
    private TestNode _node = null!;
    private string _pipe = "";

    public async Task InitializeAsync()
    {
        _pipe = $"/tmp/hueyp-node-{Guid.NewGuid():N}.sock";
        _node = await TestNode.StartAsync($$"""
            hueyp.bridge {
              enabled = on
              hmac-key = "{{Key}}"
              socket.port = 0
              pipe.name = "{{_pipe}}"
              failover { min-backoff = 200ms, max-backoff = 1s, verify-interval = 50ms }
            }
            """);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        if (File.Exists(_pipe)) File.Delete(_pipe);
    }

    private BridgeModule Bridge => _node.Node.Runtime.Module<BridgeModule>() ?? throw new InvalidOperationException("bridge module not running");

    private static IEnumerable<Quote> Quotes(int count) =>
        Enumerable.Range(0, count).Select(i => new Quote("EURUSD", new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc).AddSeconds(i), 1.08 + i * 1e-5, 1.0802 + i * 1e-5));

    private async Task<EaSimulator> StartEaAsync(int quotes = 50)
    {
        await Until(() => Bridge.Endpoints.ContainsKey(TransportKind.Socket), "socket listening");
        var ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = IPEndPoint.Parse(Bridge.Endpoints[TransportKind.Socket]),
            Pipe = _pipe,
            SpoolDirectory = Bridge.Settings.Spool!.Directory,
            HmacKey = System.Text.Encoding.UTF8.GetBytes(Key),
            Quotes = Quotes(quotes),
            TickInterval = TimeSpan.FromMilliseconds(5),
        });
        ea.Start();
        return ea;
    }

    private async Task<CliRun> Transports() => await CliHarness.RunAsync(_node.Cli("transports", "show", "--json"));

    private async Task<string?> RouteAsync() => (await Transports()).Json.GetProperty("route").GetString();

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 30 s: {what}");
            await Task.Delay(25);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 30 s: {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_node_hosts_the_bridge_ticks_reach_the_engine_and_orders_reach_the_ea_exactly_once()
    {
        await using var ea = await StartEaAsync();
        await UntilAsync(async () => await RouteAsync() == "socket", "route on the socket");
        await Until(() => ea.NegotiatedVersion == ProtocolVersion.V1_2, "v1.2 negotiated");

        for (var i = 0; i < 20; i++) Bridge.Send(Bridge.Trade($"node-ord-{i}", "EURUSD", OrderSide.Buy, 0.1));
        await ea.Witness.WaitForAsync(w => w.Executed == 20, TimeSpan.FromSeconds(30));
        await UntilAsync(async () => (await Transports()).Json.GetProperty("inbound").GetProperty("ticks").GetInt64() > 0, "ticks counted");
        await UntilAsync(async () => (await Transports()).Json.GetProperty("outbox").GetProperty("depth").GetInt32() == 0, "every order ACKed");

        var show = await Transports();
        output.WriteLine(show.Output);
        Assert.Equal(ExitCodes.Ok, show.ExitCode);
        var socket = show.Json.GetProperty("transports").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "socket");
        Assert.True(socket.GetProperty("active").GetBoolean());
        Assert.Equal(Bridge.Endpoints[TransportKind.Socket], socket.GetProperty("endpoint").GetString());
        Assert.Equal(0, show.Json.GetProperty("outbox").GetProperty("depth").GetInt32());
        Assert.Equal(0, ea.Witness.DuplicateExecutions);
        Assert.Contains("bridge", _node.Node.Runtime.Manifest.Features);
    }

    [Fact]
    public async Task Failing_the_socket_from_the_cli_moves_traffic_to_the_pipe_degrades_the_mode_and_repair_brings_the_socket_back()
    {
        await using var ea = await StartEaAsync();
        await UntilAsync(async () => await RouteAsync() == "socket", "route on the socket");

        var fail = await CliHarness.RunAsync(_node.Cli("transports", "fail", "socket", "--mode", "close", "--reason", "test", "--json"));
        Assert.Equal(ExitCodes.Ok, fail.ExitCode);
        for (var i = 0; i < 10; i++) Bridge.Send(Bridge.Trade($"during-{i}", "EURUSD", OrderSide.Sell, 0.2));

        await ea.Witness.WaitForAsync(w => w.Executed == 10, TimeSpan.FromSeconds(30));
        var mode = await CliHarness.RunAsync(_node.Cli("mode", "show", "--json"));
        output.WriteLine(mode.Output);
        Assert.Contains("COMM", mode.Output);

        // The backoff restarts the socket listener, the EA reconnects, the link answers its probes: traffic returns.
        await UntilAsync(async () => await RouteAsync() == "socket", "route back on the socket after repair");
        var show = await Transports();
        output.WriteLine(show.Output);
        var socket = show.Json.GetProperty("transports").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "socket");
        Assert.True(socket.GetProperty("failures").GetInt32() >= 1);
        Assert.Contains("stopped with its transport", socket.GetProperty("last_error").GetString() ?? "");
        Assert.Equal(0, ea.Witness.DuplicateExecutions);
    }

    [Fact]
    public async Task An_operator_forces_traffic_onto_the_pipe_and_back_to_automatic_and_each_call_is_audited_with_its_reason()
    {
        await using var ea = await StartEaAsync();
        await UntilAsync(async () => await RouteAsync() == "socket", "route on the socket");
        await UntilAsync(async () => (await Transports()).Json.GetProperty("transports").EnumerateArray()
            .Any(t => t.GetProperty("name").GetString() == "pipe" && t.GetProperty("up").GetBoolean()), "the pipe connected as a standby");

        var force = await CliHarness.RunAsync(_node.Cli("transports", "force", "pipe", "--reason", "socket cable swap", "--json"));
        output.WriteLine(force.Output + force.Error);
        Assert.Equal(ExitCodes.Ok, force.ExitCode);
        Assert.Equal("pipe", await RouteAsync());
        var shown = await Transports();
        Assert.Equal(("pipe", "socket cable swap"), (shown.Json.GetProperty("forced").GetString(), shown.Json.GetProperty("forced_reason").GetString()));
        for (var i = 0; i < 5; i++) Bridge.Send(Bridge.Trade($"forced-{i}", "EURUSD", OrderSide.Buy, 0.1));
        await ea.Witness.WaitForAsync(w => w.Executed == 5, TimeSpan.FromSeconds(30));
        Assert.Equal("pipe", await RouteAsync());

        var auto = await CliHarness.RunAsync(_node.Cli("transports", "force", "auto", "--reason", "swap done"));
        Assert.Equal(ExitCodes.Ok, auto.ExitCode);
        await UntilAsync(async () => await RouteAsync() == "socket", "automatic choice back on the socket");
        var noReason = await CliHarness.RunAsync(_node.Cli("transports", "force", "spool"));
        Assert.NotEqual(ExitCodes.Ok, noReason.ExitCode);

        var audit = await File.ReadAllLinesAsync(Path.Combine(_node.Folder, "logs", "audit.jsonl"));
        var reasons = audit.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("target").GetString() == "/api/transports/force").Select(e => e.GetProperty("reason").GetString()).ToList();
        Assert.Equal(["socket cable swap", "swap done"], reasons);
    }

    [Fact]
    public async Task Failing_an_unknown_transport_is_refused_with_the_names_that_exist()
    {
        var run = await CliHarness.RunAsync(_node.Cli("transports", "fail", "carrier-pigeon"));

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("socket, pipe or spool", run.Error);
    }
}

public sealed class BridgeConfigurationTests
{
    [Fact]
    public async Task A_bridge_listening_beyond_loopback_or_without_transports_is_refused_at_load_with_key_and_line()
    {
        var folder = Directory.CreateTempSubdirectory("hueyp-bridge-conf").FullName;
        var file = Path.Combine(folder, "bad.conf");
        await File.WriteAllTextAsync(file, $$"""
            include "{{Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf")}}"
            hueyp.bridge {
              enabled = on
              socket.host = "0.0.0.0"
              heartbeat-interval = soon
            }
            """);

        var loaded = NodeConfiguration.Load(file);

        Assert.Contains(loaded.Errors, e => e.StartsWith("hueyp.bridge.socket.host = 0.0.0.0 (") && e.Contains("bad.conf:4") && e.Contains("loopback"));
        Assert.Contains(loaded.Errors, e => e.StartsWith("hueyp.bridge.heartbeat-interval = soon"));
        Directory.Delete(folder, recursive: true);
    }
}
