using HueyP.Persistence.Query;

namespace HueyP.Cluster.Standby;

/// <summary>How far this node has read the journal and how late the last event reached it.</summary>
public sealed record TailProgress(long Offset, long Events, double LastDelayMs, DateTimeOffset? LastEventAt);

/// <summary>
/// The warm standby's reader: follows AllEvents from its last offset (woken by the journal's change notifications),
/// so the node knows how far behind the active it is and, on takeover, only the tail after that offset is new to it.
/// Every event read goes to <paramref name="onEvent"/> (the node's warm projections), in journal order, on the tail's
/// own thread. Runs on both roles: on the active it shows its own journal's progress.
/// </summary>
public sealed class JournalTail(IReadJournal journal, TimeProvider clock, Action<EventEnvelope>? onEvent = null) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private TailProgress _progress = new(0, 0, 0, null);
    private Task? _loop;

    public TailProgress Progress => Volatile.Read(ref _progress);

    /// <summary>Starts after <paramref name="offset"/> (0 = from the beginning of the journal).</summary>
    public void Start(long offset = 0)
    {
        Volatile.Write(ref _progress, _progress with { Offset = offset });
        _loop ??= Task.Run(() => RunAsync(_stopping.Token));
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var envelope in journal.AllEvents(Progress.Offset, stopping).ConfigureAwait(false))
                {
                    onEvent?.Invoke(envelope);
                    var now = clock.GetUtcNow();
                    var written = new DateTimeOffset(DateTime.SpecifyKind(envelope.Timestamp, DateTimeKind.Utc));
                    var current = Progress;
                    Volatile.Write(ref _progress, new TailProgress(envelope.Offset, current.Events + 1, Math.Max(0, (now - written).TotalMilliseconds), written));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception) when (!stopping.IsCancellationRequested)
            {
                // The database went away or an event could not be decoded: resume from the last offset after a pause.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        _stopping.Dispose();
    }
}
