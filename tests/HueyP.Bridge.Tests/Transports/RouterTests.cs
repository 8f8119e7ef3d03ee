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
    private sealed class IdleTransport : ReceiveActor;

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
        var specs = Enum.GetValues<TransportKind>().Select(k => new TransportSpec(k, _ => Props.Create(() => new IdleTransport()))).ToArray();
        _router = Sys.ActorOf(RouterActor.Props(new RouterSettings(specs, _outbox) { Inbound = TestActor }), "router");
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
}
