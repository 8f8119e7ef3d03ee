namespace HueyP.Persistence.Journal;

/// <summary>One committed journal transaction, as the writer saw it.</summary>
public readonly record struct JournalCommit(TimeSpan Elapsed, int Events);

/// <summary>Write latency percentiles over the most recent commits; null figures before the first commit.</summary>
public sealed record JournalWriteSummary(long Commits, long Events, double? P50Ms, double? P99Ms, double? MeanBatch);

/// <summary>
/// What the journal's single writer measured: every commit's duration (begin to acknowledged) and how many events it
/// carried. Telemetry reads the recent window for its SLO figures and subscribes to <see cref="Committed"/> for the
/// metrics endpoint; the writer pays one lock and an array write per commit, not per event.
/// </summary>
public sealed class JournalWriteStats
{
    private const int Window = 1024;
    private readonly Lock _gate = new();
    private readonly double[] _recentMs = new double[Window];
    private readonly int[] _recentEvents = new int[Window];
    private long _commits;
    private long _events;

    /// <summary>Raised on the writer's thread after each commit; handlers must be quick and must not throw.</summary>
    public event Action<JournalCommit>? Committed;

    internal void Record(TimeSpan elapsed, int events)
    {
        lock (_gate)
        {
            var slot = (int)(_commits % Window);
            _recentMs[slot] = elapsed.TotalMilliseconds;
            _recentEvents[slot] = events;
            _commits++;
            _events += events;
        }
        Committed?.Invoke(new JournalCommit(elapsed, events));
    }

    public JournalWriteSummary Summary()
    {
        double[] ms;
        int[] events;
        long commits, total;
        lock (_gate)
        {
            commits = _commits;
            total = _events;
            var n = (int)Math.Min(commits, Window);
            ms = _recentMs[..n];
            events = _recentEvents[..n];
        }
        if (ms.Length == 0) return new JournalWriteSummary(0, 0, null, null, null);
        Array.Sort(ms);
        return new JournalWriteSummary(commits, total, Percentile(ms, 0.50), Percentile(ms, 0.99), events.Average());
    }

    /// <summary>Nearest-rank percentile: a p99 is a latency some commit really had.</summary>
    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
