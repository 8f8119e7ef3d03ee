namespace HueyP.Persistence.Journal;

/// <summary>One committed journal transaction, as the writer saw it.</summary>
public readonly record struct JournalCommit(TimeSpan Elapsed, int Events);

/// <summary>Write latency percentiles over the most recent commits; null figures before the first commit.</summary>
public sealed record JournalWriteSummary(long Commits, long Events, double? P50Ms, double? P99Ms, double? MeanBatch);

/// <summary>
/// What the journal's single writer measured: every commit's duration (begin to acknowledged) and how many events it
/// carried. Telemetry reads the recent window for its SLO figures and subscribes to <see cref="Committed"/> for the
/// metrics endpoint; the writer pays two interlocked operations per commit, not per event.
/// </summary>
public sealed class JournalWriteStats
{
    private readonly LatencyWindow _recent = new();
    private long _events;

    /// <summary>Raised on the writer's thread after each commit; handlers must be quick and must not throw.</summary>
    public event Action<JournalCommit>? Committed;

    internal void Record(TimeSpan elapsed, int events)
    {
        _recent.Add(elapsed.TotalMilliseconds);
        Interlocked.Add(ref _events, events);
        Committed?.Invoke(new JournalCommit(elapsed, events));
    }

    /// <summary>p50/p99 over the last <see cref="LatencyWindow.Size"/> commits; the mean batch over all of them.</summary>
    public JournalWriteSummary Summary()
    {
        var commits = _recent.Count;
        var events = Interlocked.Read(ref _events);
        return commits == 0
            ? new JournalWriteSummary(0, 0, null, null, null)
            : new JournalWriteSummary(commits, events, _recent.Percentile(0.50), _recent.Percentile(0.99), (double)events / commits);
    }
}
