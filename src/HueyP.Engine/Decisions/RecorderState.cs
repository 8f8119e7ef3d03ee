using HueyP.Domain.Decisions;

namespace HueyP.Engine.Decisions;

/// <summary>
/// The recorder's memory, kept outside the actor so a restart of the recorder loses neither pending records, counts
/// nor the hash chain (the engine creates it once and hands it to every incarnation).
/// </summary>
internal sealed class RecorderState : IAsyncDisposable
{
    private readonly List<RecordDecision> _pending = new();
    private readonly DecisionHashChain _chain = new();
    private readonly Dictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private readonly RecordFileWriter? _writer;

    public RecorderState(string? recordsPath)
    {
        if (recordsPath is not null) _writer = new RecordFileWriter(recordsPath);
    }

    public long Signals { get; private set; }
    public long Intents { get; private set; }

    public void Add(RecordDecision record) => _pending.Add(record);

    /// <summary>
    /// Commits pending records in canonical order (decision time, symbol, per-symbol sequence), which depends only on
    /// the data: the order in which symbols happened to finish does not reach the file or the hash.
    /// </summary>
    public void CommitPending()
    {
        if (_pending.Count == 0) return;
        if (_pending.Count > 1) _pending.Sort(CanonicalOrder);
        foreach (var pending in _pending) Commit(pending.Record);
        _pending.Clear();
    }

    /// <summary>Live mode: no slices, records are committed as they arrive.</summary>
    public void Commit(DecisionRecord record)
    {
        _chain.Append(record);
        Signals++;
        if (record.OrderIntent is not null) Intents++;
        foreach (var reason in RejectionReasons.Of(record))
            _rejections[reason] = _rejections.GetValueOrDefault(reason) + 1;
        _writer?.Append(DecisionJson.Serialize(record));
    }

    public Task FlushAsync() => _writer?.FlushAsync() ?? Task.CompletedTask;

    public RecorderStats Stats() => new(
        Signals, Intents,
        _rejections.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value),
        _chain.Head, _pending.Count, _writer?.Errors ?? 0);

    private static int CanonicalOrder(RecordDecision a, RecordDecision b)
    {
        var byTime = a.Record.DecisionTimeUtc.CompareTo(b.Record.DecisionTimeUtc);
        if (byTime != 0) return byTime;
        var bySymbol = string.CompareOrdinal(a.Record.Symbol, b.Record.Symbol);
        return bySymbol != 0 ? bySymbol : a.Sequence.CompareTo(b.Sequence);
    }

    public ValueTask DisposeAsync() => _writer?.DisposeAsync() ?? ValueTask.CompletedTask;
}
