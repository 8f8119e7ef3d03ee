using HueyP.Persistence.Query;
using HueyP.Persistence.Tests.Infrastructure;
using Npgsql;

namespace HueyP.Persistence.Tests.Query;

/// <summary>
/// On PostgreSQL an event with a lower ordering can commit after a higher one. Here a transaction holds ordering N
/// open while N+1 commits: tag readers must wait for N rather than move past it.
/// </summary>
[RequiresPostgreSql]
public sealed class PostgreSqlGapTests : PersistenceSpec
{
    protected override StorageBackend CreateBackend() => new PostgreSqlBackend();

    [StorageFact]
    public async Task Tag_readers_hold_back_behind_an_uncommitted_lower_ordering_until_it_commits()
    {
        var backend = (PostgreSqlBackend)Backend;
        var writer = Store();
        var reader = Store(s => s with { QueryGapTimeout = TimeSpan.FromMinutes(5) });
        await WriteAsync(writer, "before", 1, 1, "green");

        await using var slow = new NpgsqlConnection(backend.ConnectionString);
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        long held;
        await using (var insert = new NpgsqlCommand($$"""
            INSERT INTO {{backend.Table("event_journal")}} (persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash)
            VALUES ('slow', 1, 'Note.v1', convert_to('{"Text":"slow"}', 'UTF8'), 'green', 0, 'slow-node', 0, FALSE, '\x00'::bytea)
            RETURNING ordering
            """, slow, transaction))
            held = (long)(await insert.ExecuteScalarAsync())!;
        await using (var tag = new NpgsqlCommand($"INSERT INTO {backend.Table("event_tag")} (tag, ordering) VALUES ('green', {held})", slow, transaction))
            await tag.ExecuteNonQueryAsync();

        await WriteAsync(writer, "after", 1, 1, "green");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var live = Task.Run(async () =>
        {
            var received = new List<EventEnvelope>();
            await foreach (var e in reader.ReadJournal.EventsByTag("green", 0, deadline.Token))
            {
                received.Add(e);
                if (received.Count == 3) break;
            }
            return received;
        });
        var current = Task.Run(async () =>
        {
            var received = new List<EventEnvelope>();
            await foreach (var e in reader.ReadJournal.CurrentEventsByTag("green", 0, deadline.Token)) received.Add(e);
            return received;
        });

        // With the gap open, the reader's watermark stays below the uncommitted ordering...
        Assert.Equal(held - 1, await reader.Watermark.AdvanceAsync(CancellationToken.None));
        Assert.False(current.IsCompleted);

        await transaction.CommitAsync();

        // ...and once it commits, both queries deliver all three events in ordering order, the late one included.
        var expected = new[] { "before", "slow", "after" };
        Assert.Equal(expected, (await live).Select(e => e.PersistenceId));
        Assert.Equal(expected, (await current).Select(e => e.PersistenceId));
    }

    [StorageFact]
    public async Task Live_queries_hear_other_processes_writes_through_listen_notify()
    {
        // The reader would poll only every 10 minutes, and the writer is another store: only NOTIFY can wake it.
        var reader = Store(s => s with { QueryPollInterval = TimeSpan.FromMinutes(10) });
        var writer = Store();
        await writer.InitializeAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var live = Task.Run(async () =>
        {
            var received = new List<EventEnvelope>();
            await foreach (var e in reader.ReadJournal.EventsByPersistenceId("p", 1, 3, deadline.Token)) received.Add(e);
            return received;
        });
        await WriteAsync(writer, "p", 1, 1);
        await WriteAsync(writer, "p", 2, 3);
        Assert.Equal([1, 2, 3], (await live).Select(e => e.SequenceNr));
    }

    [StorageFact]
    public async Task A_gap_left_by_a_rolled_back_transaction_is_skipped_after_the_gap_timeout()
    {
        var writer = Store();
        var reader = Store(s => s with { QueryGapTimeout = TimeSpan.Zero });
        await WriteAsync(writer, "before", 1, 1, "green");
        var backend = (PostgreSqlBackend)Backend;
        await using (var slow = new NpgsqlConnection(backend.ConnectionString))
        {
            await slow.OpenAsync();
            await using var transaction = await slow.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand($$"""
                INSERT INTO {{backend.Table("event_journal")}} (persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash)
                VALUES ('ghost', 1, 'Note.v1', convert_to('{"Text":"ghost"}', 'UTF8'), 'green', 0, 'x', 0, FALSE, '\x00'::bytea)
                """, slow, transaction);
            await insert.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }
        await WriteAsync(writer, "after", 1, 1, "green");

        var received = new List<EventEnvelope>();
        await foreach (var e in reader.ReadJournal.CurrentEventsByTag("green")) received.Add(e);
        Assert.Equal(["before", "after"], received.Select(e => e.PersistenceId));
    }

    [StorageFact]
    public async Task A_new_reader_waits_one_gap_timeout_for_all_old_gaps_not_one_per_gap()
    {
        var writer = Store();
        // The reader's clock reads now: the gaps it finds are fresh, so only their own timeout lets it pass.
        var clock = new HueyP.Actors.TestKit.TestScheduler(DateTimeOffset.UtcNow);
        var reader = Store(s => s with { QueryGapTimeout = TimeSpan.FromMinutes(5), Clock = clock });
        await WriteAsync(writer, "first", 1, 1);
        await RollBackOneInsertAsync();
        await WriteAsync(writer, "second", 1, 1);
        await RollBackOneInsertAsync();
        await WriteAsync(writer, "third", 1, 1);
        var head = Convert.ToInt64(await ScalarAsync($"SELECT max(ordering) FROM {((PostgreSqlBackend)Backend).Table("event_journal")}"), System.Globalization.CultureInfo.InvariantCulture);

        // Both holes are seen by the first scan: the watermark stops below the first one...
        var stopped = await reader.Watermark.AdvanceAsync(CancellationToken.None);
        Assert.True(stopped < head);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(stopped, await reader.Watermark.AdvanceAsync(CancellationToken.None));

        // ...and one timeout after that scan it passes both, not only the first.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(head, await reader.Watermark.AdvanceAsync(CancellationToken.None));
    }

    [StorageFact]
    public async Task A_reader_started_long_after_a_gap_was_left_passes_it_at_once()
    {
        var writer = Store();
        await WriteAsync(writer, "first", 1, 1);
        await RollBackOneInsertAsync();
        await WriteAsync(writer, "second", 1, 1);
        var head = Convert.ToInt64(await ScalarAsync($"SELECT max(ordering) FROM {((PostgreSqlBackend)Backend).Table("event_journal")}"), System.Globalization.CultureInfo.InvariantCulture);

        // A standby restarted an hour after the kill -9 that left the gap: the event after it was written an hour ago,
        // so the transaction that held the gap has been gone at least that long.
        var anHourLater = new HueyP.Actors.TestKit.TestScheduler(DateTimeOffset.UtcNow.AddHours(1));
        var restarted = Store(s => s with { QueryGapTimeout = TimeSpan.FromMinutes(5), Clock = anHourLater });
        Assert.Equal(head, await restarted.Watermark.AdvanceAsync(CancellationToken.None));

        // One that looks a minute after the write still waits for the gap's own timeout.
        var aMinuteLater = new HueyP.Actors.TestKit.TestScheduler(DateTimeOffset.UtcNow.AddMinutes(1));
        var early = Store(s => s with { QueryGapTimeout = TimeSpan.FromMinutes(5), Clock = aMinuteLater });
        Assert.True(await early.Watermark.AdvanceAsync(CancellationToken.None) < head);
    }

    [StorageFact]
    public async Task The_read_after_fencing_does_not_hold_back_at_a_hole_the_all_events_query_waits_for()
    {
        var writer = Store();
        var reader = Store(s => s with { QueryGapTimeout = TimeSpan.FromMinutes(5) });
        await WriteAsync(writer, "first", 1, 1);
        await RollBackOneInsertAsync();
        await WriteAsync(writer, "second", 1, 1);

        var afterFencing = new List<string>();
        await foreach (var e in reader.ReadJournal.CurrentAllEventsAfterFencing(0)) afterFencing.Add(e.PersistenceId);

        Assert.Equal(["first", "second"], afterFencing);
        // The ordinary query is still waiting at the fresh hole (its gap timeout is five minutes).
        using var shortly = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var waiting = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in reader.ReadJournal.CurrentAllEvents(0, shortly.Token)) waiting.Add(e.PersistenceId);
        });
        Assert.Equal(["first"], waiting);
    }

    private async Task RollBackOneInsertAsync()
    {
        var backend = (PostgreSqlBackend)Backend;
        await using var connection = new NpgsqlConnection(backend.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand($$"""
            INSERT INTO {{backend.Table("event_journal")}} (persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash)
            VALUES ('ghost', 1, 'Note.v1', convert_to('{"Text":"ghost"}', 'UTF8'), '', 0, 'x', 0, FALSE, '\x00'::bytea)
            """, connection, transaction);
        await insert.ExecuteNonQueryAsync();
        await transaction.RollbackAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(((PostgreSqlBackend)Backend).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
