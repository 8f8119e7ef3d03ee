using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Transports;

/// <summary>The router with probes standing in for the links of each transport; virtual time.</summary>
public sealed class RouterTests : TestKit
{
    /// <summary>Stands in for a transport actor: everything the router tells it goes to the kind's probe.</summary>
    private sealed class ForwardingTransport : ReceiveActor
    {
        public ForwardingTransport(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    private readonly InMemoryOutbox _outbox = new();
    private readonly TestProbe _socket;
    private readonly TestProbe _pipe;
    private readonly TestProbe _spool;
    private readonly TestProbe _events;
    private readonly IActorRef _router;
    private readonly MessageFactory _engine = new("engine", Samples.Clock());

    public RouterTests(ITestOutputHelper output) : base(output: output)
    {
        _socket = CreateTestProbe("socket-link");
        _pipe = CreateTestProbe("pipe-link");
        _spool = CreateTestProbe("spool-link");
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(RouteChanged));
        Sys.EventStream.Subscribe(_events.Ref, typeof(MessageDropped));
        _transports = CreateTestProbe("transports");
        _router = StartRouter(verifyProbes: 0);
    }

    private readonly TestProbe _transports;

    private IActorRef StartRouter(int verifyProbes, string name = "router")
    {
        var target = _transports.Ref;
        var specs = Enum.GetValues<TransportKind>().Select(k => new TransportSpec(k, _ => Props.Create(() => new ForwardingTransport(target)))).ToArray();
        return Sys.ActorOf(RouterActor.Props(new RouterSettings(specs, _outbox) { Inbound = TestActor, VerifyProbes = verifyProbes }), name);
    }

    private BridgeMessage Trade(string id, double expiresInSeconds = 60) =>
        Samples.Trade(_engine, id, Sys.Scheduler.Now.AddSeconds(expiresInSeconds));

    private void Up(TransportKind kind, TestProbe link) => _router.Tell(new LinkUp(kind, link.Ref, ProtocolVersion.V1_0, "test"));

    private void Ack(TransportKind kind, TestProbe link, BridgeMessage acked) =>
        _router.Tell(new PeerMessage(kind, link.Ref, new MessageFactory("ea", Samples.Clock()).Ack(acked, AckStatus.Accepted)));

    [Fact]
    public async Task Orders_go_through_the_best_healthy_transport_and_unacknowledged_ones_are_replayed_in_order_after_a_switch()
    {
        Up(TransportKind.Pipe, _pipe);
        Assert.Equal(new RouteChanged(null, TransportKind.Pipe, "Pipe link up"), _events.ExpectMsg<RouteChanged>());
        Up(TransportKind.Socket, _socket);
        Assert.Equal(TransportKind.Socket, _events.ExpectMsg<RouteChanged>().To);

        var (t1, t2, t3) = (Trade("o1"), Trade("o2"), Trade("o3"));
        foreach (var t in new[] { t1, t2, t3 }) _router.Tell(new RouteMessage(t));
        Assert.Equal([t1.MessageId, t2.MessageId, t3.MessageId], _socket.ReceiveN(3).Cast<SendToPeer>().Select(s => s.Message.MessageId));
        Ack(TransportKind.Socket, _socket, t1);
        _router.Tell(new LinkDown(TransportKind.Socket, _socket.Ref, "peer closed the connection"));

        var change = _events.ExpectMsg<RouteChanged>();
        Assert.Equal((TransportKind.Socket, TransportKind.Pipe), (change.From, change.To));
        Assert.Contains("peer closed", change.Reason);
        Assert.Equal([t2.MessageId, t3.MessageId], _pipe.ReceiveN(2).Cast<SendToPeer>().Select(s => s.Message.MessageId));
        _pipe.ExpectNoMsg();
        var status = await _router.Ask<RouterStatus>(GetRouterStatus.Instance);
        Assert.Equal(TransportKind.Pipe, status.Current);
        Assert.Equal(2, status.PendingOutbox);
        Assert.Contains("peer closed", status.Transports.Single(t => t.Kind == TransportKind.Socket).LastError);
    }

    [Fact]
    public void Orders_wait_in_the_outbox_while_no_transport_is_up_and_stale_ones_are_dropped_with_a_reason()
    {
        var soon = Trade("soon", expiresInSeconds: 5);
        var later = Trade("later", expiresInSeconds: 120);
        _router.Tell(new RouteMessage(soon));
        _router.Tell(new RouteMessage(later));
        AwaitCondition(() => _outbox.Count == 2);
        Advance(TimeSpan.FromSeconds(6));

        Up(TransportKind.Spool, _spool);

        _events.ExpectMsg<RouteChanged>(c => c.To == TransportKind.Spool);
        var dropped = _events.ExpectMsg<MessageDropped>();
        Assert.Equal(soon.MessageId, dropped.MessageId);
        Assert.Contains("expired", dropped.Reason);
        Assert.Equal(later.MessageId, _spool.ExpectMsg<SendToPeer>().Message.MessageId);
    }

    [Fact]
    public void Messages_from_the_ea_reach_the_engine_and_acks_clear_the_outbox()
    {
        Up(TransportKind.Socket, _socket);
        var trade = Trade("o1");
        _router.Tell(new RouteMessage(trade));
        _socket.ExpectMsg<SendToPeer>();

        Ack(TransportKind.Socket, _socket, trade);

        var inbound = ExpectMsg<InboundMessage>();
        Assert.Equal(MessageType.Ack, inbound.Message.Type);
        AwaitCondition(() => _outbox.Count == 0);
        Advance(TimeSpan.FromSeconds(30));
        _socket.ExpectNoMsg(); // acknowledged: never retransmitted
    }

    [Fact]
    public void An_unacknowledged_order_is_retransmitted_on_the_same_route()
    {
        Up(TransportKind.Socket, _socket);
        var trade = Trade("o1");
        _router.Tell(new RouteMessage(trade));
        _socket.ExpectMsg<SendToPeer>();

        Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(trade.MessageId, _socket.ExpectMsg<SendToPeer>().Message.MessageId);
    }

    [Fact]
    public void After_a_router_restart_unacknowledged_orders_are_replayed_in_order_on_the_first_route()
    {
        Up(TransportKind.Socket, _socket);
        var trades = new[] { Trade("o1"), Trade("o2"), Trade("o3") };
        foreach (var t in trades) _router.Tell(new RouteMessage(t));
        _socket.ReceiveN(3);
        Ack(TransportKind.Socket, _socket, trades[1]);
        AwaitCondition(() => _outbox.Count == 2);

        Chaos.Crash(_router, new InvalidOperationException("chaos: router crashed"));
        AwaitCondition(() => _router.Ask<RouterStatus>(GetRouterStatus.Instance).Result.Current is null);
        Up(TransportKind.Pipe, _pipe);

        Assert.Equal([trades[0].MessageId, trades[2].MessageId], _pipe.ReceiveN(2).Cast<SendToPeer>().Select(s => s.Message.MessageId));
    }

    [Fact]
    public void A_repaired_better_link_gets_traffic_back_only_after_answering_its_loop_around_probes()
    {
        var router = StartRouter(verifyProbes: 3, name: "verifying-router");
        router.Tell(new LinkUp(TransportKind.Pipe, _pipe.Ref, ProtocolVersion.V1_0, "test"));
        _events.ExpectMsg<RouteChanged>(c => c.To == TransportKind.Pipe);
        var pending = Trade("o1");
        router.Tell(new RouteMessage(pending));
        _pipe.ExpectMsg<SendToPeer>();

        router.Tell(new LinkUp(TransportKind.Socket, _socket.Ref, ProtocolVersion.V1_0, "test"));
        var first = _socket.ExpectMsg<ProbeLink>();
        _events.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // up, but not trusted yet
        router.Tell(new LinkProbeAnswered(TransportKind.Socket, _socket.Ref, first.Nonce, TimeSpan.FromMilliseconds(1)));
        Advance(TimeSpan.FromMilliseconds(100));
        var unanswered = _socket.ExpectMsg<ProbeLink>();
        Advance(TimeSpan.FromMilliseconds(100)); // no answer within the interval: the count starts over
        for (var i = 0; i < 3; i++)
        {
            var probe = _socket.ExpectMsg<ProbeLink>();
            Assert.NotEqual(unanswered.Nonce, probe.Nonce);
            router.Tell(new LinkProbeAnswered(TransportKind.Socket, _socket.Ref, probe.Nonce, TimeSpan.FromMilliseconds(1)));
            if (i < 2) Advance(TimeSpan.FromMilliseconds(100));
        }

        var back = _events.ExpectMsg<RouteChanged>();
        Assert.Equal((TransportKind.Pipe, TransportKind.Socket), (back.From, back.To));
        Assert.Contains("3 loop-around probes", back.Reason);
        Assert.Equal(pending.MessageId, _socket.ExpectMsg<SendToPeer>().Message.MessageId); // the unACKed order follows the route
    }

    [Fact]
    public async Task Chaos_requests_reach_the_named_transport_and_unknown_faults_for_the_spool_are_refused()
    {
        var result = await _router.Ask<FailTransportResult>(new FailTransport(TransportKind.Socket, TransportFault.Stall, "test"));
        Assert.True(result.Accepted);
        Assert.Equal(TransportFault.Stall, _transports.ExpectMsg<InjectFault>().Fault);

        var refused = await _router.Ask<FailTransportResult>(new FailTransport(TransportKind.Spool, TransportFault.Corrupt, "test"));
        Assert.False(refused.Accepted);
        Assert.Contains("only close", refused.Detail);
        _transports.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
