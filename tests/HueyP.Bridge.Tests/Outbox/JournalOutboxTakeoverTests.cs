using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Outbox;
using HueyP.Persistence;
using HueyP.Persistence.Serialization;

namespace HueyP.Bridge.Tests.Outbox;

/// <summary>
/// The outbox across a cluster takeover on both journals: two writers on one stream, one trading at a time. A suspended
/// (standby) outbox writes nothing; a resumed one picks up the other writer's unacknowledged messages in order and
/// numbers its own writes after the other writer's.
/// </summary>
public sealed class JournalOutboxTakeoverTests
{
    private readonly MessageFactory _engine = new("engine", Samples.Clock());

    private BridgeMessage Trade(string orderId) => Samples.Trade(_engine, orderId, DateTimeOffset.UtcNow.AddHours(1));

    private static string[] Keys(IEnumerable<BridgeMessage> messages) => messages.Select(m => m.OrderKey!).ToArray();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_resumed_outbox_takes_over_the_other_writers_pending_messages_in_order_and_writes_after_them(string provider)
    {
        await using var storage = OutboxStorage.Create(provider);
        if (storage is null) return;
        JournalSettings Writer(string id) => storage.Settings with { WriterId = id };
        await using var storeA = JournalFactory.Create(Writer("node-a"), new EventSerializer());
        await using var storeB = JournalFactory.Create(Writer("node-b"), new EventSerializer());
        await using var a = JournalOutbox.OpenSuspended(storeA);
        await using var b = JournalOutbox.OpenSuspended(storeB);

        Assert.Empty(await a.ResumeAsync());
        var trades = Enumerable.Range(1, 5).Select(i => Trade($"ord-{i}")).ToArray();
        foreach (var t in trades[..4]) await a.Enqueue(t);
        a.Acknowledge(trades[2].MessageId);
        await a.FlushAsync();
        var highest = await storeA.Journal.ReadHighestSequenceNrAsync(JournalOutbox.DefaultPersistenceId);

        // The standby takes nothing and writes nothing.
        await Assert.ThrowsAsync<OutboxUnavailableException>(() => b.Enqueue(Trade("standby")));
        Assert.False(b.Acknowledge(trades[0].MessageId));
        await b.FlushAsync();
        Assert.Equal(highest, await storeB.Journal.ReadHighestSequenceNrAsync(JournalOutbox.DefaultPersistenceId));

        a.Suspend();
        Assert.Equal(0, a.Count);
        var resuming = b.ResumeAsync();
        var written = b.Enqueue(trades[4]); // handed over while the stream is being read: written after it, kept behind it
        Assert.Equal(["ord-1", "ord-2", "ord-4"], Keys(await resuming));
        await written;
        Assert.Equal(["ord-1", "ord-2", "ord-4", "ord-5"], Keys(b.Pending()));
        Assert.True(b.Acknowledge(trades[0].MessageId));
        await b.FlushAsync();
        Assert.Equal(highest + 2, await storeB.Journal.ReadHighestSequenceNrAsync(JournalOutbox.DefaultPersistenceId));

        // Back to the first writer: it resumes from what the second one wrote.
        b.Suspend();
        Assert.Equal(["ord-2", "ord-4", "ord-5"], Keys(await a.ResumeAsync()));
        await a.Enqueue(Trade("ord-6"));
        await a.FlushAsync();
        Assert.Equal(["ord-2", "ord-4", "ord-5", "ord-6"], Keys(a.Pending()));
    }
}
