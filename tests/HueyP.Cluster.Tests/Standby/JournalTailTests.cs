using HueyP.Cluster.Standby;
using HueyP.Cluster.Tests.Infrastructure;
using HueyP.Persistence;

namespace HueyP.Cluster.Tests.Standby;

/// <summary>The standby's journal tail on a real PostgreSQL: it follows what the active writes, from where it started.</summary>
public sealed class JournalTailTests : IAsyncLifetime
{
    private readonly PostgreSqlSchema _pg = new();
    private PersistenceStore _writer = null!;
    private PersistenceStore _reader = null!;

    public async Task InitializeAsync()
    {
        _writer = JournalFactory.Create(_pg.Journal("node-a", null), TestEvents.Serializer());
        _reader = JournalFactory.Create(_pg.Journal("node-b", null), TestEvents.Serializer());
        await _writer.InitializeAsync();
    }

    [Fact]
    public async Task The_tail_starts_after_its_offset_and_catches_up_with_every_new_event()
    {
        await _writer.Journal.WriteMessagesAsync([TestEvents.Write("orders", 1, "before"), TestEvents.Write("orders", 2, "before")]);
        var head = Convert.ToInt64(await _pg.ScalarAsync($"SELECT max(ordering) FROM \"{_pg.Schema}\".event_journal"), System.Globalization.CultureInfo.InvariantCulture);
        await using var tail = new JournalTail(_reader.ReadJournal, TimeProvider.System);

        tail.Start(head);
        for (var seq = 3; seq <= 12; seq++) await _writer.Journal.WriteMessagesAsync([TestEvents.Write("orders", seq, $"after-{seq}")]);

        var newHead = Convert.ToInt64(await _pg.ScalarAsync($"SELECT max(ordering) FROM \"{_pg.Schema}\".event_journal"), System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (tail.Progress.Offset < newHead && DateTime.UtcNow < deadline) await Task.Delay(20);

        Assert.Equal(newHead, tail.Progress.Offset);
        Assert.Equal(10, tail.Progress.Events); // only what came after its start offset
        Assert.NotNull(tail.Progress.LastEventAt);
        Assert.True(tail.Progress.LastDelayMs >= 0);
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _reader.DisposeAsync();
        await _pg.DisposeAsync();
    }
}
