using HueyP.Persistence.Journal;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.Journal;

/// <summary>Journal conformance, after Akka.Persistence.TCK's JournalSpec, plus group commit and conflict behaviour.</summary>
public abstract class JournalSpec : PersistenceSpec
{
    private const string Pid = "order-1";

    private async Task<PersistenceStore> StoreWithFiveEventsAsync()
    {
        var store = Store();
        await WriteAsync(store, Pid, 1, 5);
        return store;
    }

    [StorageFact]
    public async Task Replays_all_events_in_sequence_order_with_their_payloads()
    {
        var store = await StoreWithFiveEventsAsync();
        var replayed = await ReplayAsync(store, Pid);
        Assert.Equal([1, 2, 3, 4, 5], SequenceNrs(replayed));
        Assert.Equal(new Note("order-1-3"), replayed[2].Payload);
        Assert.All(replayed, e => Assert.Equal(Pid, e.PersistenceId));
    }

    [StorageFact]
    public async Task Replay_starts_at_the_lower_bound()
    {
        var store = await StoreWithFiveEventsAsync();
        Assert.Equal([3, 4, 5], SequenceNrs(await ReplayAsync(store, Pid, from: 3)));
    }

    [StorageFact]
    public async Task Replay_stops_at_the_upper_bound_inclusive()
    {
        var store = await StoreWithFiveEventsAsync();
        Assert.Equal([1, 2, 3], SequenceNrs(await ReplayAsync(store, Pid, to: 3)));
        Assert.Equal([2, 3, 4], SequenceNrs(await ReplayAsync(store, Pid, from: 2, to: 4)));
        Assert.Equal([3], SequenceNrs(await ReplayAsync(store, Pid, from: 3, to: 3)));
    }

    [StorageFact]
    public async Task Replay_returns_at_most_max_events()
    {
        var store = await StoreWithFiveEventsAsync();
        Assert.Equal([1, 2], SequenceNrs(await ReplayAsync(store, Pid, max: 2)));
        Assert.Equal([2, 3], SequenceNrs(await ReplayAsync(store, Pid, from: 2, to: 5, max: 2)));
    }

    [StorageFact]
    public async Task Replay_with_zero_max_returns_nothing()
    {
        var store = await StoreWithFiveEventsAsync();
        Assert.Empty(await ReplayAsync(store, Pid, max: 0));
    }

    [StorageFact]
    public async Task Replay_of_an_empty_range_returns_nothing()
    {
        var store = await StoreWithFiveEventsAsync();
        Assert.Empty(await ReplayAsync(store, Pid, from: 4, to: 3));
        Assert.Empty(await ReplayAsync(store, Pid, from: 6));
        Assert.Empty(await ReplayAsync(store, "unknown"));
    }

    [StorageFact]
    public async Task Replay_pages_through_more_events_than_one_read_page()
    {
        var store = Store(s => s with { ReadPageSize = 3 });
        await WriteAsync(store, Pid, 1, 10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), SequenceNrs(await ReplayAsync(store, Pid)));
        Assert.Equal([2, 3, 4, 5], SequenceNrs(await ReplayAsync(store, Pid, from: 2, max: 4)));
    }

    [StorageFact]
    public async Task Highest_sequence_number_is_zero_for_an_unknown_id()
    {
        var store = Store();
        Assert.Equal(0, await store.Journal.ReadHighestSequenceNrAsync("nobody"));
    }

    [StorageFact]
    public async Task Highest_sequence_number_survives_deletes()
    {
        var store = await StoreWithFiveEventsAsync();
        Assert.Equal(5, await store.Journal.ReadHighestSequenceNrAsync(Pid, 0));
        await store.Journal.DeleteMessagesToAsync(Pid, 3);
        Assert.Equal(5, await store.Journal.ReadHighestSequenceNrAsync(Pid, 4));
        await store.Journal.DeleteMessagesToAsync(Pid, long.MaxValue);
        Assert.Equal(5, await store.Journal.ReadHighestSequenceNrAsync(Pid, 0));
    }

    [StorageFact]
    public async Task Deleted_events_are_never_replayed()
    {
        var store = await StoreWithFiveEventsAsync();
        await store.Journal.DeleteMessagesToAsync(Pid, 3);
        Assert.Equal([4, 5], SequenceNrs(await ReplayAsync(store, Pid)));
        Assert.Equal([4], SequenceNrs(await ReplayAsync(store, Pid, from: 1, to: 4)));
        await store.Journal.DeleteMessagesToAsync(Pid, 2); // lower than before: changes nothing
        Assert.Equal([4, 5], SequenceNrs(await ReplayAsync(store, Pid)));
    }

    [StorageFact]
    public async Task Writes_after_deleting_everything_continue_the_sequence()
    {
        var store = await StoreWithFiveEventsAsync();
        await store.Journal.DeleteMessagesToAsync(Pid, 5);
        await WriteAsync(store, Pid, 6, 7);
        Assert.Equal([6, 7], SequenceNrs(await ReplayAsync(store, Pid)));
        Assert.True((await store.Verifier.VerifyAsync()).IsIntact);
    }

    [StorageFact]
    public async Task An_atomic_write_of_several_events_is_stored_whole()
    {
        var store = Store();
        var results = await store.Journal.WriteMessagesAsync(
            [new AtomicWrite([Event(Pid, 1), Event(Pid, 2), Event(Pid, 3)]), new AtomicWrite(Event("other", 1))]);
        Assert.All(results, Assert.Null);
        Assert.Equal([1, 2, 3], SequenceNrs(await ReplayAsync(store, Pid)));
        Assert.Equal([1], SequenceNrs(await ReplayAsync(store, "other")));
    }

    [StorageFact]
    public async Task An_atomic_write_with_one_bad_event_stores_none_of_it()
    {
        var store = Store();
        var bad = new PersistentRepr(new NotRegistered("x"), Pid, 2);
        var results = await store.Journal.WriteMessagesAsync([new AtomicWrite([Event(Pid, 1), bad, Event(Pid, 3)])]);
        Assert.IsType<EventRejectedException>(results[0]);
        Assert.Empty(await ReplayAsync(store, Pid));
        Assert.Equal(0, await store.Journal.ReadHighestSequenceNrAsync(Pid));
    }

    [StorageFact]
    public async Task A_rejected_write_does_not_fail_the_rest_of_its_batch()
    {
        var store = Store();
        var results = await store.Journal.WriteMessagesAsync(
        [
            new AtomicWrite(Event("a", 1)),
            new AtomicWrite(new PersistentRepr(new NotRegistered("boom"), "b", 1)),
            new AtomicWrite(Event("c", 1)),
        ]);
        Assert.Null(results[0]);
        var rejection = Assert.IsType<EventRejectedException>(results[1]);
        Assert.Contains("'b'", rejection.Message);
        Assert.Contains(nameof(NotRegistered), rejection.Message);
        Assert.Null(results[2]);
        Assert.Single(await ReplayAsync(store, "a"));
        Assert.Empty(await ReplayAsync(store, "b"));
        Assert.Single(await ReplayAsync(store, "c"));
    }

    [StorageFact]
    public async Task An_event_larger_than_the_limit_is_rejected_with_a_clear_error()
    {
        var store = Store(s => s with { MaxEventBytes = 1000 });
        var results = await store.Journal.WriteMessagesAsync(
            [new AtomicWrite(Event(Pid, 1)), new AtomicWrite(Event("big", 1, new string('x', 2000)))]);
        Assert.Null(results[0]);
        var rejection = Assert.IsType<EventRejectedException>(results[1]);
        Assert.Contains("'big'", rejection.Message);
        Assert.Contains("sequence number 1", rejection.Message);
        Assert.Contains("MaxEventBytes", rejection.Message);
        Assert.Single(await ReplayAsync(store, Pid));
        Assert.Empty(await ReplayAsync(store, "big"));
    }

    [StorageFact]
    public async Task A_tag_containing_a_comma_is_rejected()
    {
        var store = Store();
        var results = await store.Journal.WriteMessagesAsync([new AtomicWrite(Event(Pid, 1, null, "a,b"))]);
        Assert.Contains("tag 'a,b'", Assert.IsType<EventRejectedException>(results[0]).Message);
    }

    [StorageFact]
    public async Task Replay_returns_manifest_tags_timestamp_and_writer()
    {
        var store = Store(s => s with { WriterId = "node-a", WriterEpoch = 7 });
        var before = DateTime.UtcNow.AddSeconds(-1);
        await store.Journal.WriteMessagesAsync([new AtomicWrite(Event(Pid, 1, "x", "green", "blue"))]);
        var e = Assert.Single(await ReplayAsync(store, Pid));
        Assert.Equal("Note.v1", e.Manifest);
        Assert.Equal(["green", "blue"], e.Tags);
        Assert.Equal("node-a", e.WriterId);
        Assert.Equal(7, e.WriterEpoch);
        Assert.InRange(e.Timestamp, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
    }

    [StorageFact]
    public async Task Events_survive_reopening_the_store()
    {
        var store = await StoreWithFiveEventsAsync();
        await store.DisposeAsync();
        var reopened = Store();
        Assert.Equal([1, 2, 3, 4, 5], SequenceNrs(await ReplayAsync(reopened, Pid)));
    }

    [StorageFact]
    public async Task Many_concurrent_callers_are_all_acknowledged_and_stored()
    {
        var store = Store(s => s with { MaxBatchEvents = 16 });
        var writes = Enumerable.Range(0, 40).Select(async actor =>
        {
            for (var seq = 1; seq <= 5; seq++)
                Assert.All(await store.Journal.WriteMessagesAsync([new AtomicWrite(Event($"actor-{actor}", seq))]), Assert.Null);
        });
        await Task.WhenAll(writes);
        for (var actor = 0; actor < 40; actor++)
            Assert.Equal([1, 2, 3, 4, 5], SequenceNrs(await ReplayAsync(store, $"actor-{actor}")));
        Assert.True((await store.Verifier.VerifyAsync()).IsIntact);
    }

    [StorageFact]
    public async Task A_write_whose_transaction_fails_is_never_acknowledged()
    {
        var store = Store();
        await store.InitializeAsync();
        await Backend.InstallFailingTriggerAsync("doomed", "simulated disk failure");
        var attempts = Enumerable.Range(0, 30).Select(i => i % 3 == 0
            ? (Pid: "doomed", Task: store.Journal.WriteMessagesAsync([new AtomicWrite(Event("doomed", 1))]))
            : (Pid: $"fine-{i}", Task: store.Journal.WriteMessagesAsync([new AtomicWrite(Event($"fine-{i}", 1))]))).ToList();
        await Task.WhenAll(attempts.Select(a => a.Task.ContinueWith(_ => { })));

        foreach (var (pid, task) in attempts)
        {
            var stored = (await ReplayAsync(store, pid)).Count == 1;
            if (pid == "doomed")
                Assert.Contains("simulated disk failure", Assert.ThrowsAny<Exception>(() => task.GetAwaiter().GetResult()).Message);
            // The invariant: acknowledged <=> stored. Writes sharing a failed transaction fail too, and are not stored.
            Assert.Equal(task.IsCompletedSuccessfully, stored);
        }
        Assert.Empty(await ReplayAsync(store, "doomed"));
        await WriteAsync(store, "after-failure", 1, 1);
        Assert.Single(await ReplayAsync(store, "after-failure"));
    }

    [StorageFact]
    public async Task A_second_writer_for_the_same_id_gets_a_conflict_and_overwrites_nothing()
    {
        var nodeA = Store(s => s with { WriterId = "node-a" });
        var nodeB = Store(s => s with { WriterId = "node-b" });
        await WriteAsync(nodeA, Pid, 1, 2);

        var conflict = await Assert.ThrowsAsync<JournalConflictException>(() =>
            nodeB.Journal.WriteMessagesAsync([new AtomicWrite(Event(Pid, 2, "from b"))]));
        Assert.Contains("'order-1'", conflict.Message);
        Assert.Contains("sequence number 2", conflict.Message);
        Assert.Contains("node-a", conflict.Message);
        Assert.Equal(2, conflict.SequenceNr);

        var replayed = await ReplayAsync(nodeA, Pid);
        Assert.Equal(new Note("order-1-2"), replayed[1].Payload);
        Assert.Equal("node-a", replayed[1].WriterId);
        Assert.True((await nodeA.Verifier.VerifyAsync()).IsIntact);
    }

    [StorageFact]
    public async Task Concurrent_writers_racing_for_the_same_sequence_number_produce_exactly_one_conflict()
    {
        var nodeA = Store(s => s with { WriterId = "node-a" });
        var nodeB = Store(s => s with { WriterId = "node-b" });
        var a = nodeA.Journal.WriteMessagesAsync([new AtomicWrite(Event(Pid, 1, "a"))]);
        var b = nodeB.Journal.WriteMessagesAsync([new AtomicWrite(Event(Pid, 1, "b"))]);
        await Task.WhenAll(a.ContinueWith(_ => { }), b.ContinueWith(_ => { }));

        Assert.Equal(1, new[] { a, b }.Count(t => t.IsCompletedSuccessfully));
        var loser = a.IsCompletedSuccessfully ? b : a;
        Assert.IsType<JournalConflictException>(loser.Exception!.InnerException);
        var winner = a.IsCompletedSuccessfully ? "a" : "b";
        Assert.Equal(new Note(winner), Assert.Single(await ReplayAsync(nodeA, Pid)).Payload);
    }

    [StorageFact]
    public async Task A_conflict_fails_only_the_colliding_call_in_a_group_commit()
    {
        var nodeA = Store(s => s with { WriterId = "node-a" });
        var nodeB = Store(s => s with { WriterId = "node-b" });
        await WriteAsync(nodeA, Pid, 1, 1);
        // Queued together, these likely share one transaction on node-b: the collision must not take the others down.
        var calls = new List<Task<IReadOnlyList<Exception?>>>();
        for (var i = 0; i < 10; i++) calls.Add(nodeB.Journal.WriteMessagesAsync([new AtomicWrite(Event($"bystander-{i}", 1))]));
        calls.Add(nodeB.Journal.WriteMessagesAsync([new AtomicWrite(Event(Pid, 1, "stale"))]));
        for (var i = 10; i < 20; i++) calls.Add(nodeB.Journal.WriteMessagesAsync([new AtomicWrite(Event($"bystander-{i}", 1))]));
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { })));

        Assert.IsType<JournalConflictException>(calls[10].Exception!.InnerException);
        Assert.All(calls.Where((_, i) => i != 10), c => Assert.True(c.IsCompletedSuccessfully));
        for (var i = 0; i < 20; i++) Assert.Single(await ReplayAsync(nodeA, $"bystander-{i}"));
        Assert.Equal(new Note("order-1-1"), Assert.Single(await ReplayAsync(nodeA, Pid)).Payload);
        Assert.True((await nodeA.Verifier.VerifyAsync()).IsIntact);
    }

    private sealed class ClosedFence : IWriteFence
    {
        public string SqlPredicate(JournalProvider provider) => "@writer_epoch >= 5";
        public long CurrentEpoch { get; init; }
    }

    [StorageFact]
    public async Task A_write_fence_rejects_a_stale_epoch_and_stores_nothing()
    {
        var stale = Store(s => s with { WriteFence = new ClosedFence { CurrentEpoch = 4 } });
        var fenced = await Assert.ThrowsAsync<WriteFencedException>(() => stale.Journal.WriteMessagesAsync([new AtomicWrite(Event(Pid, 1))]));
        Assert.Contains("epoch 4", fenced.Message);
        Assert.Empty(await ReplayAsync(stale, Pid));

        var current = Store(s => s with { WriteFence = new ClosedFence { CurrentEpoch = 5 } });
        await WriteAsync(current, Pid, 1, 2);
        Assert.All(await ReplayAsync(current, Pid), e => Assert.Equal(5, e.WriterEpoch));
    }

    [StorageFact]
    public async Task Migrations_are_applied_once_however_often_the_store_is_opened()
    {
        var first = Store();
        await first.InitializeAsync();
        await WriteAsync(first, Pid, 1, 2);
        var second = Store();
        await second.InitializeAsync();
        var third = Store();
        await third.InitializeAsync();
        var versions = Convert.ToInt64(await Backend.ExecuteAsync($"SELECT COUNT(*) FROM {Backend.Table("schema_version")}"));
        Assert.Equal(first.Migrations.Count, versions);
        Assert.Equal([1, 2], SequenceNrs(await ReplayAsync(third, Pid)));
        Assert.Equal(first.Migrations.Max(m => m.Version), (await third.Inspector.GetStatsAsync()).SchemaVersion);
    }

    [StorageFact]
    public async Task A_database_from_a_newer_build_is_refused_with_a_clear_error()
    {
        var store = Store();
        await store.InitializeAsync();
        await Backend.ExecuteAsync($"INSERT INTO {Backend.Table("schema_version")} (version, description, applied_at) VALUES (999, 'future', 'x')");
        var error = await Assert.ThrowsAsync<JournalSchemaException>(() => Store().Journal.ReadHighestSequenceNrAsync(Pid));
        Assert.Contains("999", error.Message);
    }
}

public sealed class SqliteJournalSpec : JournalSpec
{
    protected override StorageBackend CreateBackend() => new SqliteBackend();

    [StorageFact]
    public async Task A_read_only_database_still_replays_but_a_write_faults_with_the_reason()
    {
        var writable = Store();
        await WriteAsync(writable, "p", 1, 2);
        await writable.DisposeAsync();
        var path = ((SqliteBackend)Backend).DatabasePath;
        var readOnly = Store(s => s with { Path = null, ConnectionString = $"Data Source={path};Mode=ReadOnly" });

        Assert.Equal([1, 2], SequenceNrs(await ReplayAsync(readOnly, "p")));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => readOnly.Journal.WriteMessagesAsync([new AtomicWrite(Event("p", 3))]));
        Assert.Contains("readonly", error.Message);
        Assert.Equal([1, 2], SequenceNrs(await ReplayAsync(readOnly, "p")));
    }

    [StorageFact]
    public async Task Full_synchronous_mode_stores_and_replays_like_normal()
    {
        var store = Store(s => s with { Synchronous = SqliteSynchronous.Full });
        await WriteAsync(store, "p", 1, 3);
        Assert.Equal([1, 2, 3], SequenceNrs(await ReplayAsync(store, "p")));
    }
}

[RequiresPostgreSql]
public sealed class PostgreSqlJournalSpec : JournalSpec
{
    protected override StorageBackend CreateBackend() => new PostgreSqlBackend();
}
