using System.Text;
using System.Threading.Channels;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Router;
using HueyP.Persistence;
using HueyP.Persistence.Journal;

namespace HueyP.Bridge.Transports.Outbox;

/// <summary>The outbox could not make an order durable; it is still held in memory and delivered while the process lives.</summary>
public sealed class OutboxUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The durable outbox: every SIGNAL/TRADE is journaled (stream <see cref="DefaultPersistenceId"/>) before the router
/// sends it, and settled when ACKed or dropped, so a restarted node replays exactly the unacknowledged ones, in order.
/// <para>Enqueue's task completes with the commit (an order must not be sent before it is durable); settlements are written behind
/// in order, because losing one only means an order the EA already has is sent again, and the EA de-duplicates it.
/// Settled history is deleted from the journal once nothing older is pending, so recovery reads a bounded tail.</para>
/// <para>On a cluster node the outbox follows the trading term: suspended on a standby (it writes nothing and holds nothing,
/// because the active node owns the stream), resumed when a term begins (it re-reads the stream, which the previous
/// active wrote meanwhile: its unacknowledged messages and its highest sequence number).</para>
/// One writer task owns the stream's sequence numbers; the public methods are thread-safe.
/// </summary>
public sealed class JournalOutbox : IOutbox, IAsyncDisposable
{
    public const string DefaultPersistenceId = "bridge-outbox";

    private sealed class Entry(BridgeMessage message)
    {
        public BridgeMessage Message { get; } = message;
        public long Sequence;
    }

    private sealed record Write(object Event, Entry? Enqueued, TaskCompletionSource? Committed);

    /// <summary>Writer-loop request: re-read the stream before anything written after it.</summary>
    private sealed record Recover(TaskCompletionSource<IReadOnlyList<BridgeMessage>> Recovered);

    private sealed record Recovered(List<Entry> Pending, long Highest, int Unreadable);

    private readonly PersistenceStore _store;
    private readonly BridgeCodec _codec = new(new CodecOptions());
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly LinkedList<Entry> _order = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byId = new(StringComparer.Ordinal);
    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _highest;
    private long _deletedTo;
    private int _settledSinceCompaction;
    private bool _suspended;
    private bool _recoveryNeeded;

    private JournalOutbox(PersistenceStore store, string persistenceId, TimeProvider time, TimeSpan commitTimeout, bool suspended = false)
    {
        _store = store;
        _suspended = suspended;
        PersistenceId = persistenceId;
        _time = time;
        CommitTimeout = commitTimeout;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string PersistenceId { get; }

    /// <summary>How long Enqueue waits for its commit before reporting the outbox unavailable.</summary>
    public TimeSpan CommitTimeout { get; }

    /// <summary>Stored entries that could not be read back at recovery (skipped, counted, never silently).</summary>
    public int UnreadableOnRecovery { get; private set; }

    /// <summary>Settle compaction runs after this many settlements (tests lower it).</summary>
    public int CompactEvery { get; init; } = 256;

    public int Count
    {
        get { lock (_lock) return _byId.Count; }
    }

    /// <summary>True on a standby: nothing is accepted or written until <see cref="ResumeAsync"/>.</summary>
    public bool Suspended
    {
        get { lock (_lock) return _suspended; }
    }

    /// <summary>Opens the stream and recovers the pending messages, in their original order.</summary>
    public static async Task<JournalOutbox> OpenAsync(PersistenceStore store, string persistenceId = DefaultPersistenceId,
        TimeProvider? time = null, TimeSpan? commitTimeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        OutboxSerialization.Register(store.Serializer);
        var outbox = new JournalOutbox(store, persistenceId, time ?? TimeProvider.System, commitTimeout ?? TimeSpan.FromSeconds(10));
        try
        {
            outbox.Install(await outbox.ReadStreamAsync(ct).ConfigureAwait(false));
            return outbox;
        }
        catch
        {
            await outbox.DisposeAsync().ConfigureAwait(false); // its writer task must not outlive a failed open
            throw;
        }
    }

    /// <summary>
    /// The outbox of a node that does not trade yet (a cluster standby): it reads and writes nothing until
    /// <see cref="ResumeAsync"/>, because another node may own the stream.
    /// </summary>
    public static JournalOutbox OpenSuspended(PersistenceStore store, string persistenceId = DefaultPersistenceId,
        TimeProvider? time = null, TimeSpan? commitTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        OutboxSerialization.Register(store.Serializer);
        return new JournalOutbox(store, persistenceId, time ?? TimeProvider.System, commitTimeout ?? TimeSpan.FromSeconds(10), suspended: true);
    }

    /// <summary>
    /// A trading term ends here (standby, lease lost): from now on nothing is accepted or written, and what is pending is
    /// forgotten: it stays in the journal for whichever node trades next. Writes already handed to the writer still go
    /// out (the journal's fence refuses them if the lease is gone).
    /// </summary>
    public void Suspend()
    {
        lock (_lock)
        {
            _suspended = true;
            _order.Clear();
            _byId.Clear();
        }
    }

    /// <summary>
    /// A trading term begins here: re-reads the stream (another node may have written it since) and completes with the
    /// unacknowledged messages found there, in their original order, once they are pending again. Messages enqueued
    /// meanwhile are written after the recovery, with numbers above the stream's highest, and stay behind the recovered ones.
    /// </summary>
    public Task<IReadOnlyList<BridgeMessage>> ResumeAsync()
    {
        var recover = new Recover(new TaskCompletionSource<IReadOnlyList<BridgeMessage>>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            _suspended = false;
            if (!_writes.Writer.TryWrite(new Write(recover, null, null)))
                return Task.FromException<IReadOnlyList<BridgeMessage>>(new OutboxUnavailableException("the outbox is closed"));
        }
        return recover.Recovered.Task;
    }

    private async Task<Recovered> ReadStreamAsync(CancellationToken ct)
    {
        var pending = new List<(long Sequence, OutboxEnqueued Event)>();
        var settled = new HashSet<string>(StringComparer.Ordinal);
        await _store.Journal.ReplayMessagesAsync(PersistenceId, 1, long.MaxValue, long.MaxValue, repr =>
        {
            switch (repr.Payload)
            {
                case OutboxEnqueued e:
                    settled.Remove(e.MessageId);
                    pending.Add((repr.SequenceNr, e));
                    break;
                case OutboxSettled s:
                    settled.Add(s.MessageId);
                    break;
            }
        }, ct).ConfigureAwait(false);
        var highest = await _store.Journal.ReadHighestSequenceNrAsync(PersistenceId, 0, ct).ConfigureAwait(false);
        var entries = new List<Entry>();
        var unreadable = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (sequence, enqueued) in pending)
        {
            if (settled.Contains(enqueued.MessageId) || !seen.Add(enqueued.MessageId)) continue;
            try
            {
                entries.Add(new Entry(_codec.Decode(Encoding.UTF8.GetBytes(enqueued.Frame))) { Sequence = sequence });
            }
            catch (FrameException)
            {
                unreadable++;
            }
        }
        return new Recovered(entries, highest, unreadable);
    }

    /// <summary>
    /// Makes the stream's state this outbox's: the recovered messages first, then those enqueued since that are not
    /// written yet. An entry already written that the stream no longer holds pending was settled by another node.
    /// </summary>
    private List<BridgeMessage> Install(Recovered recovered)
    {
        lock (_lock)
        {
            _highest = recovered.Highest;
            _deletedTo = 0;
            _settledSinceCompaction = 0;
            UnreadableOnRecovery = recovered.Unreadable;
            if (_suspended) return []; // the term ended while reading: a standby holds nothing
            var unwritten = _order.Where(e => e.Sequence == 0).ToList();
            _order.Clear();
            _byId.Clear();
            var resumed = new List<BridgeMessage>();
            foreach (var entry in recovered.Pending)
            {
                _byId[entry.Message.MessageId] = _order.AddLast(entry);
                resumed.Add(entry.Message);
            }
            foreach (var entry in unwritten)
                if (!_byId.ContainsKey(entry.Message.MessageId)) _byId[entry.Message.MessageId] = _order.AddLast(entry);
            return resumed;
        }
    }

    public Task Enqueue(BridgeMessage message)
    {
        TaskCompletionSource committed;
        lock (_lock)
        {
            if (_suspended)
                return Task.FromException(new OutboxUnavailableException($"{message.MessageId} not taken: this node is a standby and does not write the outbox"));
            if (_byId.ContainsKey(message.MessageId)) return Task.CompletedTask;
            var entry = new Entry(message);
            _byId[message.MessageId] = _order.AddLast(entry);
            committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var frame = Encoding.UTF8.GetString(_codec.EncodeBody(message.WithVersion(ProtocolVersion.V1_0) with { Sequence = null }));
            if (!_writes.Writer.TryWrite(new Write(new OutboxEnqueued(message.MessageId, frame, _time.GetUtcNow()), entry, committed)))
                return Task.FromException(new OutboxUnavailableException("the outbox is closed"));
        }
        return CommittedAsync(message.MessageId, committed.Task);
    }

    private async Task CommittedAsync(string messageId, Task committed)
    {
        try
        {
            await committed.WaitAsync(CommitTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new OutboxUnavailableException($"{messageId} not committed to the journal within {CommitTimeout.TotalSeconds:0.#} s", e);
        }
        catch (Exception e) when (e is not OutboxUnavailableException)
        {
            throw new OutboxUnavailableException($"{messageId} could not be journaled: {e.Message}", e);
        }
    }

    public bool Acknowledge(string messageId) => Settle(messageId, "acked");

    public bool Remove(string messageId) => Settle(messageId, "dropped");

    private bool Settle(string messageId, string outcome)
    {
        lock (_lock)
        {
            if (!_byId.Remove(messageId, out var node)) return false;
            _order.Remove(node);
            _writes.Writer.TryWrite(new Write(new OutboxSettled(messageId, outcome, _time.GetUtcNow()), null, null));
            return true;
        }
    }

    public IReadOnlyList<BridgeMessage> Pending()
    {
        lock (_lock) return _order.Select(e => e.Message).ToArray();
    }

    public DateTimeOffset? OldestPendingAt
    {
        get { lock (_lock) return _order.First?.Value.Message.Timestamp; }
    }

    /// <summary>Completes once everything handed to the writer so far is committed (or failed).</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _writes.Writer.TryWrite(new Write(Flush.Instance, null, done)) ? done.Task : Task.CompletedTask;
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    private async Task WriteLoopAsync()
    {
        var reader = _writes.Reader;
        var batch = new List<Write>();
        var events = new List<Write>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < 500 && reader.TryRead(out var write)) batch.Add(write);
            // Items keep their order: events between two requests are written as one batch before the later request runs.
            var failed = false;
            foreach (var write in batch)
            {
                if (write.Event is Flush or Recover)
                {
                    failed |= !await WriteEventsAsync(events).ConfigureAwait(false);
                    events.Clear();
                    if (write.Event is Recover recover) await RecoverAsync(recover).ConfigureAwait(false);
                    else write.Committed!.TrySetResult();
                }
                else events.Add(write);
            }
            failed |= !await WriteEventsAsync(events).ConfigureAwait(false);
            events.Clear();
            if (!failed && _settledSinceCompaction >= CompactEvery) await CompactAsync().ConfigureAwait(false);
        }
    }

    private async Task RecoverAsync(Recover recover)
    {
        try
        {
            recover.Recovered.TrySetResult(Install(await ReadStreamAsync(CancellationToken.None).ConfigureAwait(false)));
            _recoveryNeeded = false;
        }
        catch (Exception e)
        {
            // Writing on stale numbers would collide with the other node's: the next write recovers first.
            _recoveryNeeded = true;
            recover.Recovered.TrySetException(new OutboxUnavailableException($"the outbox stream could not be read: {e.Message}", e));
        }
    }

    /// <summary>False when the batch could not be written.</summary>
    private async Task<bool> WriteEventsAsync(List<Write> events)
    {
        if (events.Count == 0) return true;
        if (_recoveryNeeded)
        {
            var retry = new Recover(new TaskCompletionSource<IReadOnlyList<BridgeMessage>>(TaskCreationOptions.RunContinuationsAsynchronously));
            await RecoverAsync(retry).ConfigureAwait(false);
            if (_recoveryNeeded)
            {
                var unread = retry.Recovered.Task.Exception?.InnerException ?? new OutboxUnavailableException("the outbox stream could not be read");
                foreach (var w in events) w.Committed?.TrySetException(unread);
                return false;
            }
        }
        var first = _highest + 1;
        var writes = events.Select((w, i) => new AtomicWrite(new PersistentRepr(w.Event, PersistenceId, first + i))).ToList();
        try
        {
            var results = await _store.Journal.WriteMessagesAsync(writes).ConfigureAwait(false);
            _highest = first + events.Count - 1;
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i].Enqueued is { } entry) entry.Sequence = first + i;
                if (results[i] is { } rejected) events[i].Committed?.TrySetException(rejected);
                else events[i].Committed?.TrySetResult();
                if (events[i].Event is OutboxSettled) _settledSinceCompaction++;
            }
            return true;
        }
        catch (Exception e)
        {
            foreach (var w in events) w.Committed?.TrySetException(e);
            try
            {
                _highest = await _store.Journal.ReadHighestSequenceNrAsync(PersistenceId).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // still unreachable; the next write tries again from the same number
            }
            return false;
        }
    }

    /// <summary>Everything below the oldest pending entry is settled history: delete it from the journal.</summary>
    private async Task CompactAsync()
    {
        long upTo;
        lock (_lock)
        {
            // A standby's numbers are stale: the active node compacts the stream.
            if (_suspended) return;
            // Entries not written yet will get numbers above _highest, so they never stop the deletion.
            var oldest = _order.Select(e => e.Sequence).FirstOrDefault(s => s > 0);
            upTo = oldest > 0 ? oldest - 1 : _highest;
        }
        if (upTo <= _deletedTo) return;
        try
        {
            await _store.Journal.DeleteMessagesToAsync(PersistenceId, upTo).ConfigureAwait(false);
            _deletedTo = upTo;
            _settledSinceCompaction = 0;
        }
        catch (Exception)
        {
            // compaction is an optimisation: the next round tries again
        }
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
