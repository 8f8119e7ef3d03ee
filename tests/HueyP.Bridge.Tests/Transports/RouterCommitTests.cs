using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Outbox;
using HueyP.Bridge.Transports.Router;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Transports;

/// <summary>
/// The router never waits for the outbox's journal commit inside a handler: an order goes out once its commit is done,
/// everything routed after it keeps its place behind it, and the router keeps answering meanwhile.
/// </summary>
public sealed class RouterCommitTests : TestKit
{
    /// <summary>An outbox whose commits the test completes (or fails) by hand.</summary>
    private sealed class GatedOutbox : IOutbox
    {
        private readonly InMemoryOutbox _memory = new();

        public Dictionary<string, TaskCompletionSource> Commits { get; } = new(StringComparer.Ordinal);

        public Task Enqueue(BridgeMessage message)
        {
            _memory.Enqueue(message);
            var commit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Commits) Commits[message.OrderKey] = commit;
            return commit.Task;
        }

        public TaskCompletionSource Commit(string id)
        {
            lock (Commits) return Commits[id];
        }

        public bool Acknowledge(string messageId) => _memory.Acknowledge(messageId);
        public bool Remove(string messageId) => _memory.Remove(messageId);
        public IReadOnlyList<BridgeMessage> Pending() => _memory.Pending();
        public int Count => _memory.Count;
        public DateTimeOffset? OldestPendingAt => _memory.OldestPendingAt;
    }

    private sealed class ForwardingTransport : ReceiveActor
    {
        public ForwardingTransport(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }

    private readonly GatedOutbox _outbox = new();
    private readonly TestProbe _socket;
    private readonly TestProbe _events;
    private readonly IActorRef _router;
    private readonly MessageFactory _engine = new("engine", Samples.Clock());

    public RouterCommitTests(ITestOutputHelper output) : base(output: output)
    {
        _socket = CreateTestProbe("socket-link");
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(OutboxWriteFailed));
        var transports = CreateTestProbe("transports").Ref;
        var specs = new[] { new TransportSpec(TransportKind.Socket, _ => Props.Create(() => new ForwardingTransport(transports))) };
        _router = Sys.ActorOf(RouterActor.Props(new RouterSettings(specs, _outbox) { Inbound = TestActor, VerifyProbes = 0 }), "router");
        _router.Tell(new LinkUp(TransportKind.Socket, _socket.Ref, ProtocolVersion.V1_0, "test"));
    }

    private BridgeMessage Trade(string id) => Samples.Trade(_engine, id, Sys.Scheduler.Now.AddMinutes(1));

    [Fact]
    public async Task An_order_waits_for_its_commit_without_blocking_the_router_and_later_messages_keep_their_place()
    {
        var (first, second) = (Trade("o1"), Trade("o2"));
        var status = _engine.Create(MessageType.StatusRequest, new StatusRequestPayload { OrderIds = ["o0"] });
        _router.Tell(new RouteMessage(first));
        _router.Tell(new RouteMessage(status));
        _router.Tell(new RouteMessage(second));

        // The router answers while both commits are outstanding, and nothing has left: not even the status request behind them.
        var routerStatus = await _router.Ask<RouterStatus>(GetRouterStatus.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal(2, routerStatus.PendingOutbox);
        _socket.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Commits may finish out of order; sends never do.
        _outbox.Commit("o2").SetResult();
        _socket.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _outbox.Commit("o1").SetResult();
        Assert.Equal([first.MessageId, status.MessageId, second.MessageId],
            _socket.ReceiveN(3).Cast<SendToPeer>().Select(s => s.Message.MessageId));

        // A retransmission never picks up an order whose commit is outstanding.
        var third = Trade("o3");
        _router.Tell(new RouteMessage(third));
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([first.MessageId, second.MessageId], _socket.ReceiveN(2).Cast<SendToPeer>().Select(s => s.Message.MessageId));
        _socket.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_order_the_journal_cannot_take_is_still_sent_and_the_failure_is_published()
    {
        var trade = Trade("o1");
        _router.Tell(new RouteMessage(trade));
        AwaitCondition(() => _outbox.Commits.Count == 1);

        _outbox.Commit("o1").SetException(new OutboxUnavailableException("o1 not committed to the journal within 10 s"));

        Assert.Equal(trade.MessageId, _socket.ExpectMsg<SendToPeer>().Message.MessageId);
        var failed = _events.ExpectMsg<OutboxWriteFailed>();
        Assert.Equal((trade.MessageId, true), (failed.MessageId, failed.Reason.Contains("not committed")));
    }
}
