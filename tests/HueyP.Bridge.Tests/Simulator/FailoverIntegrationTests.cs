using System.Net;
using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Pipe;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Socket;
using HueyP.Bridge.Transports.Spool;
using HueyP.Domain.Market;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Simulator;

/// <summary>The whole bridge against the simulated EA over loopback TCP, a Unix socket and a spool; real time.</summary>
public sealed class FailoverIntegrationTests : TestKit
{
    private readonly string _spool = Directory.CreateTempSubdirectory("hueyp-it-spool-").FullName;
    private readonly string _pipe = $"/tmp/hueyp-it-{Guid.NewGuid():N}.sock";
    private readonly TestProbe _events;
    private readonly TestProbe _inbound;
    private readonly ITestOutputHelper _output;

    public FailoverIntegrationTests(ITestOutputHelper output) : base(output: output, virtualTime: false)
    {
        _output = output;
        _events = CreateTestProbe("events");
        _inbound = CreateTestProbe("inbound");
        Sys.EventStream.Subscribe(_events.Ref, typeof(RouteChanged));
        Sys.EventStream.Subscribe(_events.Ref, typeof(TransportListening));
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_spool, recursive: true);
        if (File.Exists(_pipe)) File.Delete(_pipe);
    }

    private (IActorRef Router, IPEndPoint Socket) StartBridge(byte[]? key, bool withPipe = true)
    {
        var options = new BridgeOptions
        {
            Socket = new SocketTransportSettings { Port = 0 },
            Pipe = withPipe ? new PipeTransportSettings(_pipe) : null,
            Spool = new SpoolTransportSettings(_spool),
            HmacKey = key,
        };
        // A long backoff keeps a crashed socket transport down for the rest of the test.
        var tuning = new RouterSettings([], options.Outbox) { MinBackoff = TimeSpan.FromMinutes(5), MaxBackoff = TimeSpan.FromMinutes(5) };
        var router = Sys.ActorOf(BridgeSetup.RouterProps(options, _inbound.Ref, tuning), "bridge");
        var endpoint = _events.FishForMessage<TransportListening>(l => l.Kind == TransportKind.Socket).Endpoint;
        return (router, IPEndPoint.Parse(endpoint));
    }

    private static IEnumerable<Quote> Quotes(int count) =>
        Enumerable.Range(0, count).Select(i => new Quote("EURUSD", new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc).AddSeconds(i), 1.08 + i * 1e-5, 1.0802 + i * 1e-5));

    private void SendTrades(IActorRef router, MessageFactory engine, IEnumerable<int> numbers)
    {
        foreach (var i in numbers)
            router.Tell(new RouteMessage(Samples.Trade(engine, $"ord-{i:D4}", DateTimeOffset.UtcNow.AddMinutes(5))), null);
    }

    [Fact]
    public async Task Trades_arrive_exactly_once_and_killing_the_socket_transport_moves_traffic_to_the_pipe_without_loss_or_duplicates()
    {
        var (router, socket) = StartBridge(Samples.Key);
        await using var ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = socket, Pipe = _pipe, SpoolDirectory = _spool, HmacKey = Samples.Key, Quotes = Quotes(20), TickInterval = TimeSpan.FromMilliseconds(5),
        });
        var engine = new MessageFactory("engine", TimeProvider.System);
        ea.Start();
        _events.FishForMessage<RouteChanged>(c => c.To == TransportKind.Socket, TimeSpan.FromSeconds(10));
        AwaitCondition(() => ea.NegotiatedVersion == ProtocolVersion.V1_2); // the EA reads the answer after the bridge sent it

        SendTrades(router, engine, Enumerable.Range(0, 100));
        await ea.Witness.WaitForAsync(w => w.Executed == 100, TimeSpan.FromSeconds(15));

        // The EA keeps its pipe connected as a standby; on a busy machine it may still be negotiating or answering the
        // router's probes (a link carries traffic only once verified).
        AwaitAssert(() => Assert.True(router.Ask<RouterStatus>(GetRouterStatus.Instance, TimeSpan.FromSeconds(3)).Result
            .Transports.Single(t => t.Kind == TransportKind.Pipe) is { IsUp: true, Verified: true }), TimeSpan.FromSeconds(10));
        SendTrades(router, engine, Enumerable.Range(100, 50));
        Assert.True(Sys.Diagnostics.Crash("/user/bridge/socket/socket-transport", new IOException("chaos: socket transport killed")));
        SendTrades(router, engine, Enumerable.Range(150, 50));

        var lost = _events.FishForMessage<RouteChanged>(c => c.From == TransportKind.Socket, TimeSpan.FromSeconds(10));
        _output.WriteLine($"switch: {lost}");
        Assert.Equal(TransportKind.Pipe, lost.To); // the EA keeps its pipe connected as a standby: no gap through "none"
        try
        {
            await ea.Witness.WaitForAsync(w => w.Executed == 200, TimeSpan.FromSeconds(20));
        }
        finally
        {
            foreach (var note in ea.Notes) _output.WriteLine(note);
        }

        _output.WriteLine(ea.Witness.ToString());
        Assert.Equal(0, ea.Witness.DuplicateExecutions);
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal(1, ea.Witness.ExecutionsOf($"ord-{i:D4}")));
        AwaitCondition(() => ea.CurrentTransport == "pipe", TimeSpan.FromSeconds(10)); // once the EA has read the close
        AwaitAssert(() =>
        {
            var status = router.Ask<RouterStatus>(GetRouterStatus.Instance, TimeSpan.FromSeconds(3)).Result;
            Assert.Equal(TransportKind.Pipe, status.Current);
            Assert.Equal(0, status.PendingOutbox);
            Assert.False(status.Transports.Single(t => t.Kind == TransportKind.Socket).IsUp);
        }, TimeSpan.FromSeconds(10));
        _inbound.FishForMessage<InboundMessage>(m => m.Message.Type == MessageType.Tick && m.Message.Version == ProtocolVersion.V1_2);
    }

    [Fact]
    public async Task A_legacy_v10_ea_that_never_negotiates_is_served_in_v10()
    {
        var (router, socket) = StartBridge(Samples.Key, withPipe: false);
        await using var ea = new EaSimulator(new EaSimulatorOptions { Socket = socket, Negotiate = false, Quotes = Quotes(3) });
        ea.Start();
        _events.FishForMessage<RouteChanged>(c => c.To == TransportKind.Socket, TimeSpan.FromSeconds(10));

        SendTrades(router, new MessageFactory("engine", TimeProvider.System), Enumerable.Range(0, 5));

        await ea.Witness.WaitForAsync(w => w.Executed == 5, TimeSpan.FromSeconds(10));
        Assert.Equal(ProtocolVersion.V1_0, ea.NegotiatedVersion);
        _inbound.FishForMessage<InboundMessage>(m => m.Message.Type == MessageType.Tick && m.Message.Version == ProtocolVersion.V1_0);
    }

    [Fact]
    public async Task An_ea_without_the_shared_key_negotiates_down_to_v10()
    {
        var (router, socket) = StartBridge(Samples.Key, withPipe: false);
        await using var ea = new EaSimulator(new EaSimulatorOptions { Socket = socket, HmacKey = null });
        ea.Start();
        _events.FishForMessage<RouteChanged>(c => c.To == TransportKind.Socket, TimeSpan.FromSeconds(10));

        SendTrades(router, new MessageFactory("engine", TimeProvider.System), [1]);

        await ea.Witness.WaitForAsync(w => w.Executed == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(ProtocolVersion.V1_0, ea.NegotiatedVersion);
    }
}
