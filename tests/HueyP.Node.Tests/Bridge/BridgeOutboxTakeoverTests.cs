using System.Collections.Concurrent;
using HueyP.Actors;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Outbox;
using HueyP.Bridge.Transports.Standby;
using HueyP.Cluster.Member;
using HueyP.Cluster.Standby;
using HueyP.Node.Bridge;
using HueyP.Persistence;
using HueyP.Persistence.Serialization;

namespace HueyP.Node.Tests.Bridge;

/// <summary>
/// Two cluster nodes' bridges on one journal (SQLite, a writer id each): the outbox follows the trading term. A standby
/// writes nothing; the node that takes over recovers the previous active's unacknowledged TRADEs, resends them in their
/// original order, and writes on without a sequence-number conflict. The members' role changes are set by the test.
/// </summary>
public sealed class BridgeOutboxTakeoverTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-outbox-takeover-").FullName;
    private readonly MessageFactory _engine = new("hueyp", TimeProvider.System);
    private readonly List<ActorSystem> _systems = [];
    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>What the test says a node's cluster member is: its role and the epoch of the term it concerns.</summary>
    private sealed class MemberState
    {
        public volatile string Role = "standby";
        private long _epoch;

        public long Epoch
        {
            get => Interlocked.Read(ref _epoch);
            set => Interlocked.Exchange(ref _epoch, value);
        }
    }

    /// <summary>Stands in for /user/cluster, answering the bridge feed's polls with the test's role.</summary>
    private sealed class FakeMember : ReceiveActor
    {
        public FakeMember(MemberState state) => Receive<GetClusterStatus>(_ =>
            Sender.Tell(new ClusterStatus("node", state.Role, state.Epoch, 0, null, null, [], new TailProgress(0, 0, 0, null), 0, 0, null)));
    }

    /// <summary>The feed sees a change by the member's event or by its next poll, whichever comes first (as on a node).</summary>
    private sealed record Node(string Name, ActorSystem System, PersistenceStore Store, JournalOutbox Outbox, ConcurrentQueue<BridgeMessage> Resent, MemberState Member)
    {
        public void Publish(string role, string previous, long epoch)
        {
            // A poll answered in between sees the new role with the old epoch, which a feed must not act on.
            Member.Role = role;
            Member.Epoch = epoch;
            System.EventStream.Publish(new ClusterRoleChanged(Name, role, previous, epoch));
        }
    }

    private Node StartNode(string name)
    {
        var store = JournalFactory.Create(new JournalSettings
        {
            Provider = JournalProvider.Sqlite,
            Path = Path.Combine(_folder, "journal.db"),
            WriterId = name,
        }, new EventSerializer());
        var outbox = JournalOutbox.OpenSuspended(store);
        _owned.Add(store);
        _owned.Add(outbox);
        var system = ActorSystem.Create(name);
        _systems.Add(system);
        var member = new MemberState();
        system.ActorOf(Props.Create(() => new FakeMember(member)), "cluster");
        var resent = new ConcurrentQueue<BridgeMessage>();
        system.ActorOf(BridgeRoleFeedActor.Props(new BridgeRoleSource(new BridgeRole(false)), new Dictionary<string, string>(), "/user/cluster",
            TimeSpan.FromMilliseconds(20), outbox, resent.Enqueue), BridgeRoleFeedActor.ActorName);
        return new Node(name, system, store, outbox, resent, member);
    }

    private BridgeMessage Trade(string orderId) =>
        _engine.Create(MessageType.Trade, new OrderPayload(orderId, "EURUSD", OrderSide.Buy, 0.1, DateTimeOffset.UtcNow.AddHours(1)) { OrderType = "MARKET" });

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 30 s: {what}");
            await Task.Delay(10);
        }
    }

    private static Task<long> Highest(Node node) => node.Store.Journal.ReadHighestSequenceNrAsync(JournalOutbox.DefaultPersistenceId);

    private static string[] Keys(IEnumerable<BridgeMessage> messages) => messages.Select(m => m.OrderKey!).ToArray();

    [Fact]
    public async Task The_node_taking_over_resends_the_previous_actives_unacknowledged_trades_in_order_and_writes_on_without_a_conflict()
    {
        var a = StartNode("node-a");
        var b = StartNode("node-b");

        a.Publish("starting", "standby", 1);
        await Until(() => !a.Outbox.Suspended, "node-a's outbox resumed for its term");
        var trades = Enumerable.Range(1, 5).Select(i => Trade($"ord-{i}")).ToArray();
        foreach (var t in trades[..4]) await a.Outbox.Enqueue(t);
        Assert.True(a.Outbox.Acknowledge(trades[1].MessageId));
        await a.Outbox.FlushAsync();
        var writtenByA = await Highest(a);

        // node-b is a standby meanwhile: an order handed to its bridge is refused, and nothing reaches the stream.
        await Assert.ThrowsAsync<OutboxUnavailableException>(() => b.Outbox.Enqueue(Trade("on-a-standby")));
        Assert.Equal(0, b.Outbox.Count);
        Assert.Equal(writtenByA, await Highest(b));

        // node-a dies (nothing more from it); node-b wins epoch 2.
        b.Publish("starting", "standby", 2);
        await Until(() => b.Resent.Count == 3, "node-b resends node-a's unacknowledged trades");
        Assert.Equal(["ord-1", "ord-3", "ord-4"], Keys(b.Resent));
        Assert.Equal(["ord-1", "ord-3", "ord-4"], Keys(b.Outbox.Pending()));

        await b.Outbox.Enqueue(trades[4]); // would fail with "Journal conflict" on numbers read before node-a wrote
        Assert.True(b.Outbox.Acknowledge(trades[0].MessageId));
        await b.Outbox.FlushAsync();
        Assert.Equal(writtenByA + 2, await Highest(b));
        Assert.Equal(["ord-3", "ord-4", "ord-5"], Keys(b.Outbox.Pending()));

        // node-b steps down and node-a, which was a standby meanwhile, wins again: it resumes from node-b's writes.
        b.Publish("releasing", "active", 2);
        b.Publish("standby", "releasing", 2);
        await Until(() => b.Outbox.Suspended, "node-b's outbox suspended");
        a.Publish("stopping", "active", 1);
        a.Publish("standby", "stopping", 1);
        await Until(() => a.Outbox.Suspended, "node-a's outbox suspended");
        a.Publish("starting", "standby", 3);
        await Until(() => a.Resent.Count == 3, "node-a resends what node-b left unacknowledged");
        Assert.Equal(["ord-3", "ord-4", "ord-5"], Keys(a.Resent));
        await a.Outbox.Enqueue(Trade("ord-6"));
        await a.Outbox.FlushAsync();
        await Assert.ThrowsAsync<OutboxUnavailableException>(() => b.Outbox.Enqueue(Trade("on-b-standby")));

        // What a restart would recover: the stream is consistent, nothing lost, nothing settled comes back.
        await using var reader = JournalFactory.Create(new JournalSettings { Provider = JournalProvider.Sqlite, Path = Path.Combine(_folder, "journal.db") }, new EventSerializer());
        await using var reopened = await JournalOutbox.OpenAsync(reader);
        Assert.Equal(["ord-3", "ord-4", "ord-5", "ord-6"], Keys(reopened.Pending()));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var system in _systems) await system.Terminate();
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
