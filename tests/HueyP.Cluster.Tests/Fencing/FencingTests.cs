using HueyP.Cluster.Fencing;
using HueyP.Cluster.Lease;
using HueyP.Cluster.Tests.Infrastructure;
using HueyP.Persistence;
using HueyP.Persistence.Journal;

namespace HueyP.Cluster.Tests.Fencing;

/// <summary>Two writers on one real PostgreSQL journal: only the lease's current epoch can store anything.</summary>
public sealed class FencingTests : IAsyncLifetime
{
    private readonly PostgreSqlSchema _pg = new();
    private readonly List<IAsyncDisposable> _owned = [];

    private async Task<(PostgreSqlLeaseStore Lease, LeaseFence Fence, PersistenceStore Journal)> NodeAsync(string name)
    {
        var settings = _pg.Cluster(name, TimeSpan.FromMinutes(5));
        var fence = new LeaseFence(settings);
        var journal = JournalFactory.Create(_pg.Journal(name, fence), TestEvents.Serializer());
        await journal.InitializeAsync();
        var lease = new PostgreSqlLeaseStore(_pg.ConnectionString, settings);
        await lease.EnsureSchemaAsync(CancellationToken.None);
        _owned.Add(journal);
        _owned.Add(lease);
        return (lease, fence, journal);
    }

    [Fact]
    public async Task The_stale_writer_is_rejected_by_the_database_and_nothing_it_wrote_is_visible()
    {
        var a = await NodeAsync("node-a");
        var b = await NodeAsync("node-b");
        var termA = Assert.IsType<Acquired>(await a.Lease.TryAcquireAsync(CancellationToken.None));
        a.Fence.Open(termA.Epoch);
        Assert.All(await a.Journal.Journal.WriteMessagesAsync([TestEvents.Write("orders", 1, "a-1")]), Assert.Null);

        // node-a's lease session dies (as at kill -9 or a partition), node-b takes over; node-a does not know yet.
        await a.Lease.AbandonAsync();
        var termB = Assert.IsType<Acquired>(await b.Lease.TryAcquireAsync(CancellationToken.None));
        b.Fence.Open(termB.Epoch);

        var fenced = await Assert.ThrowsAsync<WriteFencedException>(() =>
            a.Journal.Journal.WriteMessagesAsync([TestEvents.Write("orders", 2, "a-2 stale"), TestEvents.Write("stale-only", 1, "a")]));
        Assert.Equal(termA.Epoch, fenced.WriterEpoch);
        Assert.All(await b.Journal.Journal.WriteMessagesAsync([TestEvents.Write("orders", 2, "b-2")]), Assert.Null);

        var orders = await ReadAsync(b.Journal, "orders");
        Assert.Equal([("a-1", termA.Epoch), ("b-2", termB.Epoch)], orders);
        Assert.Empty(await ReadAsync(b.Journal, "stale-only"));
        Assert.Equal(2L, await _pg.ScalarAsync($"SELECT count(*) FROM \"{_pg.Schema}\".event_journal"));
    }

    [Fact]
    public async Task A_closed_fence_rejects_every_write_even_while_the_node_still_holds_the_lease()
    {
        var a = await NodeAsync("node-a");
        var term = Assert.IsType<Acquired>(await a.Lease.TryAcquireAsync(CancellationToken.None));
        a.Fence.Open(term.Epoch);
        a.Fence.Close();

        await Assert.ThrowsAsync<WriteFencedException>(() => a.Journal.Journal.WriteMessagesAsync([TestEvents.Write("orders", 1, "after close")]));
        Assert.Empty(await ReadAsync(a.Journal, "orders"));
    }

    [Fact]
    public async Task An_insert_that_waited_behind_a_takeover_re_reads_the_lease_and_is_rejected()
    {
        var a = await NodeAsync("node-a");
        var term = Assert.IsType<Acquired>(await a.Lease.TryAcquireAsync(CancellationToken.None));
        a.Fence.Open(term.Epoch);

        // A takeover in progress: the lease row is updated but not committed yet.
        await using var takeover = new Npgsql.NpgsqlConnection(_pg.ConnectionString);
        await takeover.OpenAsync();
        await using var transaction = await takeover.BeginTransactionAsync();
        await using (var update = new Npgsql.NpgsqlCommand(
            $"UPDATE \"{_pg.Schema}\".cluster_lease SET holder = 'node-b', epoch = epoch + 1 WHERE name = 'hueyp'", takeover, transaction))
            await update.ExecuteNonQueryAsync();

        var write = a.Journal.Journal.WriteMessagesAsync([TestEvents.Write("orders", 1, "raced")]);
        await WaitUntilAsync(async () => Convert.ToInt64(await _pg.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%event_journal%'"),
            System.Globalization.CultureInfo.InvariantCulture) > 0);
        await transaction.CommitAsync();

        // Without FOR SHARE the insert would have judged the old, committed epoch and stored the row.
        await Assert.ThrowsAsync<WriteFencedException>(() => write);
        Assert.Empty(await ReadAsync(a.Journal, "orders"));
    }

    private static async Task<List<(string Text, long Epoch)>> ReadAsync(PersistenceStore store, string persistenceId)
    {
        var events = new List<(string, long)>();
        await store.Journal.ReplayMessagesAsync(persistenceId, 1, long.MaxValue, long.MaxValue,
            repr => events.Add((((Note)repr.Payload).Text, repr.WriterEpoch)));
        return events;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 30 s");
            await Task.Delay(20);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned) await owned.DisposeAsync();
        await _pg.DisposeAsync();
    }
}
