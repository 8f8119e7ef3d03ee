using System.Diagnostics;
using System.Threading.Channels;

namespace HueyP.Node.Telemetry;

/// <summary>
/// The one task that does telemetry's file I/O, fed through a channel (like the decision recorder's RecordFileWriter):
/// the telemetry actor only queues text, so a slow or full disk never holds it, and writes happen one at a time in the
/// order they were queued. When batches queue up behind a slow disk, their log lines are all appended, in order, and
/// only the newest state files are written: the older ones would be replaced at once anyway. Lines a full or refusing
/// disk did not take are kept (up to 16 MiB of text) and appended, still in order, at the next write.
/// </summary>
public sealed class TelemetryWriteLoop : IAsyncDisposable
{
    private readonly TelemetryWriter _writer;
    private readonly Action<TelemetryWriteResult>? _written;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private TelemetryLogLines _unwritten = TelemetryLogLines.Empty;

    /// <summary>A disk that stays full must not grow memory without end: past this, held lines are dropped (the write result says so).</summary>
    private const int MaxUnwrittenChars = 16 * 1024 * 1024;

    private readonly record struct Item(TelemetryBatch Batch, TaskCompletionSource? Done);

    /// <param name="written">Told after every write, on the loop's thread (the actor passes a Tell to itself).</param>
    public TelemetryWriteLoop(TelemetryWriter writer, Action<TelemetryWriteResult>? written = null)
    {
        _writer = writer;
        _written = written;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Queues a write; the returned task completes once it (and everything queued before it) is on disk or failed.</summary>
    public Task Enqueue(TelemetryBatch batch)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item(batch, done))) done.TrySetResult();
        return done.Task;
    }

    private async Task PumpAsync()
    {
        var pending = new List<Item>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            pending.Clear();
            while (_queue.Reader.TryRead(out var item)) pending.Add(item);
            // Lines a refused append left last time go first: order kept, nothing lost while the disk is back within bounds.
            var logs = pending.Aggregate(_unwritten, (all, item) => all.Then(item.Batch.Logs));
            var newestState = pending.LastOrDefault(i => i.Batch.StateFiles is not null).Batch?.StateFiles;
            var started = Stopwatch.GetTimestamp();
            var (unwritten, error) = _writer.Commit(new TelemetryBatch(newestState, logs));
            var problem = error?.Message;
            if (unwritten.Length > MaxUnwrittenChars)
            {
                problem += $"; {unwritten.Length} characters of log lines dropped (more than {MaxUnwrittenChars} held while the disk refused them)";
                unwritten = TelemetryLogLines.Empty;
            }

            _unwritten = unwritten;

            // Reported before the waiters hear "done", so whoever awaited a write also finds its result.
            _written?.Invoke(new TelemetryWriteResult(Stopwatch.GetElapsedTime(started), problem, newestState is not null && error is null));
            foreach (var item in pending) item.Done?.TrySetResult();
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }
}

/// <summary>How one write went: its duration, and the error when the disk refused (refused log lines are retried with the next write).</summary>
public sealed record TelemetryWriteResult(TimeSpan Elapsed, string? Error, bool StateWritten);
