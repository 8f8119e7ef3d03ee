using System.Diagnostics;
using HueyP.Domain.Decisions;
using HueyP.Engine.Orders;
using HueyP.Engine.Symbols;
using HueyP.Persistence.Journal;

namespace HueyP.Node.Telemetry;

/// <summary>
/// The latency observers telemetry hands the engine and the journal: tick to decision (every live quote the symbols
/// processed), order acknowledgement (submit to the broker's answer) and journal commits. They run on engine and
/// writer threads, so each sample costs an interlocked slot in a ring (for the SLO strip's p99) and, once /metrics
/// listens, one histogram record; nothing here waits or allocates per sample. Created with the telemetry module, before
/// the engine starts, so the engine of every cluster term reports to the same probes.
/// </summary>
public sealed class TelemetryProbes : ITickObserver, IOrderAckObserver, IDisposable
{
    private TelemetryMetrics? _metrics;
    private JournalWriteStats? _journal;

    public LatencyWindow TickToDecision { get; } = new();
    public LatencyWindow OrderAck { get; } = new();

    /// <summary>The journal's own window (p50/p99 over its last 1024 commits); null before <see cref="AttachJournal"/>.</summary>
    public JournalWriteSummary? JournalSummary() => Volatile.Read(ref _journal)?.Summary();

    public void OnQuoteProcessed(long enqueuedTimestamp, DecisionRecord? record)
    {
        var elapsed = Stopwatch.GetElapsedTime(enqueuedTimestamp);
        TickToDecision.Add(elapsed.TotalMilliseconds);
        Volatile.Read(ref _metrics)?.TickToDecisionSeconds.Record(elapsed.TotalSeconds);
    }

    public void OnAcknowledged(string symbol, TimeSpan sinceSubmit)
    {
        OrderAck.Add(sinceSubmit.TotalMilliseconds);
        Volatile.Read(ref _metrics)?.OrderAckSeconds.Record(sinceSubmit.TotalSeconds);
    }

    /// <summary>Listens to the node's journal writer (its Committed event) until disposed.</summary>
    public void AttachJournal(JournalWriteStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var previous = Interlocked.Exchange(ref _journal, stats);
        if (ReferenceEquals(previous, stats)) return;
        if (previous is not null) previous.Committed -= OnCommitted;
        stats.Committed += OnCommitted;
    }

    /// <summary>From now on samples also go to the node's histograms (/metrics, OTLP); null stops that.</summary>
    public void AttachMetrics(TelemetryMetrics? metrics) => Volatile.Write(ref _metrics, metrics);

    private void OnCommitted(JournalCommit commit)
    {
        if (Volatile.Read(ref _metrics) is not { } metrics) return;
        metrics.JournalWriteSeconds.Record(commit.Elapsed.TotalSeconds);
        metrics.JournalBatchEvents.Record(commit.Events);
    }

    public void Dispose()
    {
        AttachMetrics(null);
        if (Interlocked.Exchange(ref _journal, null) is { } journal) journal.Committed -= OnCommitted;
    }
}
