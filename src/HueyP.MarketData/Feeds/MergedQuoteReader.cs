using HueyP.Domain.Market;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Feeds;

/// <summary>
/// Merges time-ordered readers into one time-ordered stream. Equal timestamps are ordered by symbol (ordinal), then by
/// the reader's position in the list, so the merged order never depends on timing and a replay repeats exactly.
/// </summary>
public sealed class MergedQuoteReader : IQuoteReader
{
    private readonly IQuoteReader[] _sources;
    private readonly Quote[] _heads;
    private readonly bool[] _hasHead;
    private long _emitted;

    public MergedQuoteReader(string name, IReadOnlyList<IQuoteReader> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        Name = name;
        _sources = [.. sources];
        _heads = new Quote[_sources.Length];
        _hasHead = new bool[_sources.Length];
        for (var i = 0; i < _sources.Length; i++)
            _hasHead[i] = _sources[i].TryRead(out _heads[i]);
    }

    public string Name { get; }

    /// <summary>The sum of the sources' reports, with rejects still attributed to their own files.</summary>
    public FeedReport Report
    {
        get
        {
            var combined = FeedReport.Combine(Name, _sources.Select(s => s.Report));
            combined.QuotesEmitted = _emitted;
            return combined;
        }
    }

    public bool TryRead(out Quote quote)
    {
        // A linear scan beats a heap for the handful of sources a replay merges.
        var earliest = -1;
        for (var i = 0; i < _heads.Length; i++)
        {
            if (_hasHead[i] && (earliest < 0 || ComesBefore(_heads[i], _heads[earliest])))
                earliest = i;
        }

        if (earliest < 0)
        {
            quote = default;
            return false;
        }

        quote = _heads[earliest];
        _hasHead[earliest] = _sources[earliest].TryRead(out _heads[earliest]);
        _emitted++;
        return true;
    }

    // Strictly-before only: on a full tie the lower source index stays the earliest.
    private static bool ComesBefore(in Quote candidate, in Quote current)
    {
        if (candidate.TimeUtc != current.TimeUtc)
            return candidate.TimeUtc < current.TimeUtc;
        return string.CompareOrdinal(candidate.Symbol, current.Symbol) < 0;
    }

    public void Dispose()
    {
        foreach (var source in _sources)
            source.Dispose();
    }
}
