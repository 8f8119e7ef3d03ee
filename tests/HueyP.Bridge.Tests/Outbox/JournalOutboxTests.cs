using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Outbox;
using HueyP.Bridge.Transports.Router;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Outbox;

/// <summary>The durable outbox on both journals: what is unacknowledged survives a restart and comes back in order.</summary>
public sealed class JournalOutboxTests : TestKit
{
    private readonly ITestOutputHelper _output;

    public JournalOutboxTests(ITestOutputHelper output) : base(output: output) => _output = output;

    private sealed class IdleTransport : ReceiveActor;

    private readonly MessageFactory _engine = new("engine", Samples.Clock());

    private BridgeMessage Trade(string orderId) => Samples.Trade(_engine, orderId, Sys.Scheduler.Now.AddMinutes(5));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Unacknowledged_orders_survive_a_restart_in_their_original_order_and_acknowledged_ones_do_not_come_back(string provider)
    {
        await using var storage = OutboxStorage.Create(provider);
        if (storage is null) return;
        var trades = Enumerable.Range(1, 6).Select(i => Trade($"ord-{i}")).ToArray();
        await using (var store = storage.Open())
        {
            await using var outbox = await JournalOutbox.OpenAsync(store);
            foreach (var t in trades) await outbox.Enqueue(t);
            await outbox.Enqueue(trades[0]); // idempotent
            Assert.True(outbox.Acknowledge(trades[1].MessageId));
            Assert.True(outbox.Remove(trades[4].MessageId));
            Assert.False(outbox.Acknowledge("never-sent"));
            await outbox.FlushAsync();
        }

        await using (var store = storage.Open())
        {
            await using var reopened = await JournalOutbox.OpenAsync(store);
            Assert.Equal(new[] { trades[0], trades[2], trades[3], trades[5] }.Select(t => t.MessageId), reopened.Pending().Select(m => m.MessageId));
            var first = reopened.Pending()[0];
            Assert.Equal(MessageType.Trade, first.Type);
            Assert.Equal("ord-1", first.OrderKey);
            Assert.Equal(trades[0].ExpiresAt, first.ExpiresAt);
            Assert.Equal(trades[0].Timestamp, reopened.OldestPendingAt);
            Assert.Equal(0, reopened.UnreadableOnRecovery);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Settled_history_is_deleted_so_recovery_reads_only_the_pending_tail(string provider)
    {
        await using var storage = OutboxStorage.Create(provider);
        if (storage is null) return;
        await using (var store = storage.Open())
        {
            await using var outbox = await JournalOutbox.OpenAsync(store);
            var compacting = outbox; // CompactEvery is init-only: the default 256 is exercised by 300 settlements
            for (var i = 0; i < 300; i++)
            {
                var t = Trade($"o-{i}");
                await compacting.Enqueue(t);
                compacting.Acknowledge(t.MessageId);
            }
            await compacting.Enqueue(Trade("still-pending"));
            await compacting.FlushAsync();
        }

        await using (var store = storage.Open())
        {
            var replayed = 0;
            OutboxSerialization.Register(store.Serializer);
            await store.Journal.ReplayMessagesAsync(JournalOutbox.DefaultPersistenceId, 1, long.MaxValue, long.MaxValue, _ => replayed++);
            _output.WriteLine($"events replayed after 300 settled orders: {replayed}");
            Assert.InRange(replayed, 1, 100);
            await using var reopened = await JournalOutbox.OpenAsync(store);
            Assert.Equal(["still-pending"], reopened.Pending().Select(m => m.OrderKey));
            Assert.True(await store.Journal.ReadHighestSequenceNrAsync(JournalOutbox.DefaultPersistenceId) >= 601); // numbers are never reused
        }
    }

    [Fact]
    public async Task A_restarted_node_replays_the_journaled_unacknowledged_orders_in_order_on_its_first_route()
    {
        await using var storage = OutboxStorage.Create("sqlite");
        var trades = Enumerable.Range(1, 4).Select(i => Trade($"ord-{i}")).ToArray();
        await using (var store = storage!.Open())
        {
            await using var outbox = await JournalOutbox.OpenAsync(store);
            var link = CreateTestProbe("old-link");
            var router = StartRouter(outbox, "router-before");
            router.Tell(new LinkUp(TransportKind.Socket, link.Ref, ProtocolVersion.V1_0, "test"));
            foreach (var t in trades) router.Tell(new RouteMessage(t));
            link.ReceiveN(4);
            router.Tell(new PeerMessage(TransportKind.Socket, link.Ref, new MessageFactory("ea", Samples.Clock()).Ack(trades[2], AckStatus.Accepted)));
            AwaitCondition(() => outbox.Count == 3);
            Sys.Stop(router);
            await outbox.FlushAsync();
        }

        await using (var store = storage.Open())
        {
            await using var outbox = await JournalOutbox.OpenAsync(store);
            var link = CreateTestProbe("new-link");
            var router = StartRouter(outbox, "router-after");
            router.Tell(new LinkUp(TransportKind.Socket, link.Ref, ProtocolVersion.V1_0, "test"));
            Assert.Equal(["ord-1", "ord-2", "ord-4"], link.ReceiveN(3).Cast<SendToPeer>().Select(s => s.Message.OrderKey));
        }
    }

    private IActorRef StartRouter(IOutbox outbox, string name)
    {
        var specs = new[] { new TransportSpec(TransportKind.Socket, _ => Props.Create(() => new IdleTransport())) };
        return Sys.ActorOf(RouterActor.Props(new RouterSettings(specs, outbox) { VerifyProbes = 0 }), name);
    }
}
