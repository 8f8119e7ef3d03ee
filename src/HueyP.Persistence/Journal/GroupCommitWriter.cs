using System.Diagnostics;
using System.Threading.Channels;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Journal;

/// <summary>
/// The single writer of a journal. Calls queue up while a transaction is in flight and the next transaction takes
/// all of them (up to MaxBatchEvents): one commit, one fsync, many acknowledgements. A call's Task completes only
/// after the transaction holding its events committed; if that transaction fails, the Task faults and nothing of it
/// was stored.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private sealed class WriteRequest(EncodedEvent[][] writes, IReadOnlyList<Exception?>? inlineResults = null)
    {
        public EncodedEvent[][] Writes { get; } = writes;
        public int EventCount { get; } = CountEvents(writes);

        private static int CountEvents(EncodedEvent[][] writes)
        {
            var count = 0;
            foreach (var write in writes) count += write.Length;
            return count;
        }

        // Completed with continuations run elsewhere: a caller's continuation must never hold up the writer.
        public TaskCompletionSource? Done { get; } = inlineResults is null ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;

        // Completed with continuations run right here on the writer (see WriteInlineAsync).
        public TaskCompletionSource<IReadOnlyList<Exception?>>? Inline { get; } = inlineResults is null ? null : new();

        public void Succeed()
        {
            Done?.TrySetResult();
            Inline?.TrySetResult(inlineResults!);
        }

        public void Fail(Exception e)
        {
            Done?.TrySetException(e);
            Inline?.TrySetException(e);
        }
    }

    private const int MaxCachedTips = 100_000;

    private readonly StoreContext _context;
    private readonly EventInserter _inserter;
    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    // Chain tips of committed rows. A committed (persistence id, sequence nr) row never changes, so a tip can be
    // stale only by being older than the newest row, and then it is simply not used.
    private readonly Dictionary<string, ChainTip> _committedTips = new();
    // The writes of the batch being committed; only the writer's loop touches it, one batch at a time.
    private readonly List<EncodedEvent[]> _batchWrites = [];
    private readonly Task _loop;

    public GroupCommitWriter(StoreContext context)
    {
        _context = context;
        _inserter = new EventInserter(context.Database, context.Settings);
        _loop = Task.Run(RunAsync);
    }

    public Task WriteAsync(EncodedEvent[][] writes, CancellationToken cancellationToken)
    {
        var request = new WriteRequest(writes);
        if (!_queue.Writer.TryWrite(request)) throw new ObjectDisposedException(nameof(GroupCommitWriter), "The journal is closed.");
        return request.Done!.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Like <see cref="WriteAsync"/>, but the task completes (with <paramref name="results"/>) on the writer's thread,
    /// running its continuations there: only for continuations that are quick and never wait (a persistent actor's,
    /// which only tell the actor). Saves a thread-pool hop per write on the path every persisted event takes.
    /// </summary>
    public Task<IReadOnlyList<Exception?>> WriteInlineAsync(EncodedEvent[][] writes, IReadOnlyList<Exception?> results)
    {
        var request = new WriteRequest(writes, results);
        if (!_queue.Writer.TryWrite(request)) throw new ObjectDisposedException(nameof(GroupCommitWriter), "The journal is closed.");
        return request.Inline!.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteRequest>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var events = 0;
            while (events < _context.Settings.MaxBatchEvents && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
                events += request.EventCount;
            }
            await CommitAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<WriteRequest> batch)
    {
        var database = _context.Database;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var writes = _batchWrites;
            writes.Clear();
            var events = 0;
            foreach (var request in batch)
            {
                writes.AddRange(request.Writes);
                events += request.EventCount;
            }
            var tips = await database.WriteBatchAsync(async (connection, transaction) =>
            {
                var tips = TipsFor(writes);
                await _inserter.InsertAsync(connection, transaction, writes, tips, CancellationToken.None).ConfigureAwait(false);
                return tips;
            }, CancellationToken.None).ConfigureAwait(false);
            Acknowledge(batch, tips);
            _context.WriteStats.Record(Stopwatch.GetElapsedTime(started), events);
        }
        catch (Exception e) when (database.IsUniqueViolation(e))
        {
            await CommitOneByOneAsync(batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var request in batch) request.Fail(e);
        }
    }

    /// <summary>
    /// Slow path after a unique violation: the batch again, each call behind its own savepoint, so only the calls
    /// that collide fail (with a <see cref="JournalConflictException"/>) and the rest still commit together.
    /// </summary>
    private async Task CommitOneByOneAsync(List<WriteRequest> batch)
    {
        var database = _context.Database;
        var conflicts = new Dictionary<WriteRequest, Exception>();
        try
        {
            var tips = await database.WriteAsync(async (connection, transaction) =>
            {
                var tips = TipsFor(batch.SelectMany(r => r.Writes).ToList());
                var conflictedIds = new HashSet<string>();
                for (var i = 0; i < batch.Count; i++)
                {
                    var request = batch[i];
                    var conflicted = request.Writes.Select(w => w[0].PersistenceId).FirstOrDefault(conflictedIds.Contains);
                    if (conflicted is not null)
                    {
                        // A later write of an id that already collided would chain onto the other writer's events.
                        var first = request.Writes.First(w => w[0].PersistenceId == conflicted)[0];
                        conflicts[request] = new JournalConflictException(conflicted, first.SequenceNr, null);
                        continue;
                    }
                    var savepoint = $"write_{i}";
                    await transaction.SaveAsync(savepoint).ConfigureAwait(false);
                    var attempt = new Dictionary<string, ChainTip>(tips);
                    try
                    {
                        await _inserter.InsertAsync(connection, transaction, request.Writes, attempt, CancellationToken.None).ConfigureAwait(false);
                        await transaction.ReleaseAsync(savepoint).ConfigureAwait(false);
                        tips = attempt;
                    }
                    catch (Exception e) when (database.IsUniqueViolation(e))
                    {
                        await transaction.RollbackAsync(savepoint).ConfigureAwait(false);
                        var conflict = await _inserter.DescribeConflictAsync(connection, transaction, request.Writes, e, CancellationToken.None).ConfigureAwait(false);
                        conflicts[request] = conflict;
                        conflictedIds.UnionWith(request.Writes.Select(w => w[0].PersistenceId));
                    }
                }
                return tips;
            }, CancellationToken.None).ConfigureAwait(false);
            foreach (var (request, conflict) in conflicts) request.Fail(conflict);
            Acknowledge(batch.Where(r => !conflicts.ContainsKey(r)).ToList(), tips);
        }
        catch (Exception e)
        {
            foreach (var request in batch) request.Fail(e);
        }
    }

    /// <summary>The committed tips of the ids in this batch only: copying the whole cache per commit costs more than the commit.</summary>
    private Dictionary<string, ChainTip> TipsFor(List<EncodedEvent[]> writes)
    {
        var tips = new Dictionary<string, ChainTip>();
        foreach (var write in writes)
        {
            var pid = write[0].PersistenceId;
            if (!tips.ContainsKey(pid) && _committedTips.TryGetValue(pid, out var tip)) tips[pid] = tip;
        }
        return tips;
    }

    private void Acknowledge(List<WriteRequest> committed, Dictionary<string, ChainTip> tips)
    {
        if (_committedTips.Count + tips.Count > MaxCachedTips) _committedTips.Clear();
        foreach (var (pid, tip) in tips) _committedTips[pid] = tip;
        // Live queries first: an acknowledgement may now run its continuation (a persistent actor's) right here.
        _context.Changes.Notify();
        foreach (var request in committed) request.Succeed();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
