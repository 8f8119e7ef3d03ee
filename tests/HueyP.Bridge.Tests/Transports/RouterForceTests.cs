using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Transports;

/// <summary>An operator pins traffic to one healthy transport and gives the choice back; probes stand in for the links.</summary>
public sealed class RouterForceTests : TestKit
{
    private sealed class ForwardingTransport : ReceiveActor
    {
        public ForwardingTransport(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    private readonly TestProbe _socket;
    private readonly TestProbe _pipe;
    private readonly TestProbe _events;
    private readonly IActorRef _router;
    private readonly MessageFactory _engine = new("engine", Samples.Clock());

    public RouterForceTests(ITestOutputHelper output) : base(output: output)
    {
        _socket = CreateTestProbe("socket-link");
        _pipe = CreateTestProbe("pipe-link");
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(RouteChanged));
        var transports = CreateTestProbe("transports").Ref;
        var specs = Enum.GetValues<TransportKind>().Select(k => new TransportSpec(k, _ => Props.Create(() => new ForwardingTransport(transports)))).ToArray();
        _router = Sys.ActorOf(RouterActor.Props(new RouterSettings(specs, new InMemoryOutbox()) { Inbound = TestActor, VerifyProbes = 3 }), "router");
        _router.Tell(new LinkUp(TransportKind.Pipe, _pipe.Ref, ProtocolVersion.V1_0, "test"));
        _events.ExpectMsg<RouteChanged>(c => c.To == TransportKind.Pipe);
    }

    private BridgeMessage Trade(string id) => Samples.Trade(_engine, id, Sys.Scheduler.Now.AddMinutes(1));

    private ForceTransportResult Force(TransportKind? kind, string reason = "operator test")
    {
        _router.Tell(new ForceTransport(kind, reason), TestActor);
        return ExpectMsg<ForceTransportResult>();
    }

    [Fact]
    public async Task A_forced_transport_carries_traffic_until_the_operator_returns_to_automatic()
    {
        // The socket comes up and is still being verified: forcing it trusts it at once.
        _router.Tell(new LinkUp(TransportKind.Socket, _socket.Ref, ProtocolVersion.V1_0, "test"));
        _socket.ExpectMsg<ProbeLink>();
        Assert.True(Force(TransportKind.Socket, "vendor says the socket is fine").Accepted);
        var toSocket = _events.ExpectMsg<RouteChanged>();
        Assert.Equal((TransportKind.Pipe, TransportKind.Socket), (toSocket.From, toSocket.To));
        Assert.Contains("vendor says", toSocket.Reason);

        // Pinned to the pipe, the verified socket does not take traffic back.
        Assert.True(Force(TransportKind.Pipe).Accepted);
        _events.ExpectMsg<RouteChanged>(c => c.To == TransportKind.Pipe);
        var trade = Trade("o1");
        _router.Tell(new RouteMessage(trade));
        Assert.Equal(trade.MessageId, _pipe.FishForMessage<SendToPeer>().Message.MessageId);
        var status = await _router.Ask<RouterStatus>(GetRouterStatus.Instance);
        Assert.Equal((TransportKind.Pipe, TransportKind.Pipe, "operator test"), (status.Current, status.Forced, status.ForcedReason));

        // The pinned pipe dies: traffic goes where it can; back to the pipe when it returns (a worse link needs no probes).
        _router.Tell(new LinkDown(TransportKind.Pipe, _pipe.Ref, "peer closed the connection"));
        _events.ExpectMsg<RouteChanged>(c => c.To == TransportKind.Socket);
        _router.Tell(new LinkUp(TransportKind.Pipe, _pipe.Ref, ProtocolVersion.V1_0, "test"));
        _events.ExpectMsg<RouteChanged>(c => c.To == TransportKind.Pipe);

        Assert.Equal("automatic again (was pinned to pipe)", Force(null).Detail);
        _events.ExpectMsg<RouteChanged>(c => c.To == TransportKind.Socket && c.Reason.Contains("automatic again"));
        Assert.Null((await _router.Ask<RouterStatus>(GetRouterStatus.Instance)).Forced);
    }

    [Fact]
    public void Only_a_transport_with_a_live_link_can_be_forced()
    {
        var refused = Force(TransportKind.Socket);

        Assert.False(refused.Accepted);
        Assert.Contains("no live link", refused.Detail);
        _events.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
