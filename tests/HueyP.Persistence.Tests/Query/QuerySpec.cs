using System.Collections.Concurrent;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Query;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.Query;

/// <summary>Akka.Persistence.Query-style read side: current and live queries by id, tag and over everything.</summary>
public abstract class QuerySpec : PersistenceSpec
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static async Task<List<EventEnvelope>> ToListAsync(IAsyncEnumerable<EventEnvelope> query)
    {
        var list = new List<EventEnvelope>();
        await foreach (var e in query) list.Add(e);
        return list;
    }

    /// <summary>Runs a live query in the background, collecting what it delivers until disposed.</summary>
    internal sealed class LiveCollector : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(Deadline);
        private readonly Task _run;
        public ConcurrentQueue<EventEnvelope> Received { get; } = new();

        public LiveCollector(Func<CancellationToken, IAsyncEnumerable<EventEnvelope>> query) =>
            _run = Task.Run(async () =>
            {
                await foreach (var e in query(_stop.Token)) Received.Enqueue(e);
            });

        /// <summary>Polls (bounded) until the query delivered at least count events.</summary>
        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow + Deadline;
            while (Received.Count < count)
            {
                if (_run.IsFaulted) await _run;
                Assert.True(DateTime.UtcNow < deadline, $"live query delivered {Received.Count} of {count} events before the deadline");
                await Task.Delay(10);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await _run; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }
    }

    [StorageFact]
    public async Task Current_events_by_persistence_id_respects_bounds_and_deletes()
    {
        var store = Store(s => s with { ReadPageSize = 2 });
        await WriteAsync(store, "p", 1, 6);
        await store.Journal.DeleteMessagesToAsync("p", 2);
        var events = await ToListAsync(store.ReadJournal.CurrentEventsByPersistenceId("p", 0, 5));
        Assert.Equal([3, 4, 5], events.Select(e => e.SequenceNr));
        Assert.Equal(new Note("p-3"), events[0].Event);
        Assert.Equal("Note.v1", events[0].Manifest);
    }

    [StorageFact]
    public async Task Live_events_by_persistence_id_delivers_later_writes_and_ends_at_the_upper_bound()
    {
        var writer = Store();
        var reader = Store();
        await WriteAsync(writer, "p", 1, 2);
        using var deadline = new CancellationTokenSource(Deadline);
        var query = Task.Run(() => ToListAsync(reader.ReadJournal.EventsByPersistenceId("p", 2, 4, deadline.Token)));
        await WriteAsync(writer, "p", 3, 5);
        Assert.Equal([2, 3, 4], (await query).Select(e => e.SequenceNr));
    }

    [StorageFact]
    public async Task A_live_query_whose_events_are_all_written_ends_without_waiting_for_another_change()
    {
        // Polling every 10 minutes and nothing else written: only reaching the bound can end this query in time.
        var store = Store(s => s with { QueryPollInterval = TimeSpan.FromMinutes(10) });
        await WriteAsync(store, "p", 1, 3);
        using var deadline = new CancellationTokenSource(Deadline);
        Assert.Equal([1, 2, 3], (await ToListAsync(store.ReadJournal.EventsByPersistenceId("p", 1, 3, deadline.Token))).Select(e => e.SequenceNr));
    }

    [StorageFact]
    public async Task Tag_offsets_are_exclusive_and_resume_where_a_reader_stopped()
    {
        var store = Store();
        await WriteAsync(store, "a", 1, 3, "green");
        await WriteAsync(store, "b", 1, 2, "red");
        await WriteAsync(store, "c", 1, 2, "green", "red");
        var green = await ToListAsync(store.ReadJournal.CurrentEventsByTag("green"));
        Assert.Equal(["a", "a", "a", "c", "c"], green.Select(e => e.PersistenceId));
        Assert.True(green.Zip(green.Skip(1)).All(pair => pair.First.Offset < pair.Second.Offset));

        var resumed = await ToListAsync(store.ReadJournal.CurrentEventsByTag("green", green[1].Offset));
        Assert.Equal(green.Skip(2).Select(e => e.Offset), resumed.Select(e => e.Offset));
        Assert.Empty(await ToListAsync(store.ReadJournal.CurrentEventsByTag("green", green[^1].Offset)));
        Assert.Empty(await ToListAsync(store.ReadJournal.CurrentEventsByTag("purple")));
        Assert.Equal(["red"], (await ToListAsync(store.ReadJournal.CurrentEventsByTag("red")))[0].Tags);
    }

    [StorageFact]
    public async Task Current_all_events_and_persistence_ids_list_everything_once()
    {
        var store = Store(s => s with { ReadPageSize = 3 });
        await WriteAsync(store, "b", 1, 4);
        await WriteAsync(store, "a", 1, 3);
        await WriteAsync(store, "c", 1, 1);
        var all = await ToListAsync(store.ReadJournal.CurrentAllEvents());
        Assert.Equal(8, all.Count);
        Assert.Equal(all.Select(e => e.Offset).Order(), all.Select(e => e.Offset));
        Assert.Equal(all.Skip(5).Select(e => e.Offset), (await ToListAsync(store.ReadJournal.CurrentAllEvents(all[4].Offset))).Select(e => e.Offset));

        var ids = new List<string>();
        await foreach (var id in store.ReadJournal.CurrentPersistenceIds()) ids.Add(id);
        Assert.Equal(["a", "b", "c"], ids);
    }

    [StorageFact]
    public async Task Live_all_events_delivers_writes_made_after_it_started()
    {
        var writer = Store();
        var reader = Store();
        await WriteAsync(writer, "x", 1, 1);
        await using var live = new LiveCollector(ct => reader.ReadJournal.AllEvents(0, ct));
        await live.WaitForAsync(1);
        await WriteAsync(writer, "y", 1, 2);
        await live.WaitForAsync(3);
        Assert.Equal(["x", "y", "y"], live.Received.Select(e => e.PersistenceId));
    }

    [StorageFact]
    public async Task A_live_query_wakes_up_on_this_stores_writes_without_waiting_for_the_poll_interval()
    {
        var store = Store(s => s with { QueryPollInterval = TimeSpan.FromMinutes(10) });
        await WriteAsync(store, "p", 1, 1, "green");
        await using var live = new LiveCollector(ct => store.ReadJournal.EventsByTag("green", 0, ct));
        await live.WaitForAsync(1);
        await WriteAsync(store, "p", 2, 3, "green");
        await live.WaitForAsync(3);
        Assert.Equal([1, 2, 3], live.Received.Select(e => e.SequenceNr));
    }

    [StorageFact]
    public async Task Live_tag_query_over_many_concurrent_writers_never_loses_or_duplicates_an_event()
    {
        const int seed = 20261122;
        // Several stores = several group-commit writers whose transactions interleave and commit out of ordering order.
        var writers = Enumerable.Range(0, 3).Select(n => Store(s => s with { WriterId = $"node-{n}", QueryGapTimeout = TimeSpan.FromMinutes(5) })).ToList();
        var reader = Store(s => s with { QueryGapTimeout = TimeSpan.FromMinutes(5), ReadPageSize = 7 });
        await reader.InitializeAsync();
        await using var live = new LiveCollector(ct => reader.ReadJournal.EventsByTag("green", 0, ct));

        var expected = new ConcurrentBag<(string, long)>();
        var actors = Enumerable.Range(0, 12).Select(actor => Task.Run(async () =>
        {
            var random = new Random(seed + actor);
            var journal = writers[actor % writers.Count].Journal;
            var pid = $"actor-{actor}";
            long seq = 0;
            while (seq < 40)
            {
                var batch = new List<PersistentRepr>();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    seq++;
                    var tags = random.Next(3) switch { 0 => new[] { "green" }, 1 => ["red"], _ => ["green", "red"] };
                    batch.Add(Event(pid, seq, null, tags));
                }
                Assert.All(await journal.WriteMessagesAsync([new AtomicWrite(batch)]), Assert.Null);
                foreach (var e in batch.Where(e => e.Tags.Contains("green"))) expected.Add((pid, e.SequenceNr));
                if (random.Next(4) == 0) await Task.Yield();
            }
        })).ToList();
        await Task.WhenAll(actors);

        await live.WaitForAsync(expected.Count);
        var received = live.Received.ToList();
        Assert.Equal(expected.Count, received.Count);
        Assert.Equal(expected.OrderBy(e => e), received.Select(e => (e.PersistenceId, e.SequenceNr)).OrderBy(e => e));
        Assert.True(received.Zip(received.Skip(1)).All(pair => pair.First.Offset < pair.Second.Offset), "offsets must strictly increase");
    }
}

public sealed class SqliteQuerySpec : QuerySpec
{
    protected override StorageBackend CreateBackend() => new SqliteBackend();
}

[RequiresPostgreSql]
public sealed class PostgreSqlQuerySpec : QuerySpec
{
    protected override StorageBackend CreateBackend() => new PostgreSqlBackend();
}
