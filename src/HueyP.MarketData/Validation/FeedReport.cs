using System.Text;

namespace HueyP.MarketData.Validation;

/// <summary>One bad row as the user can find it: file, 1-based line, reason and the offending text.</summary>
public readonly record struct RejectExample(string File, long Line, RejectReason Reason, string Detail)
{
    public override string ToString() => $"{File}:{Line}: {Reason}: {Detail}";
}

/// <summary>A period during which a symbol's data-quality breaker was open.</summary>
public sealed class BreakerTrip
{
    internal BreakerTrip(string symbol, string file, long line)
    {
        Symbol = symbol;
        File = file;
        Line = line;
    }

    public string Symbol { get; }
    public string File { get; }

    /// <summary>The line whose reject tripped the breaker.</summary>
    public long Line { get; }

    /// <summary>The line at which the breaker re-closed; null when it was still open at the end of the data.</summary>
    public long? ClosedAtLine { get; internal set; }

    /// <summary>Valid quotes not emitted while the breaker was open.</summary>
    public long QuotesWithheld { get; internal set; }

    public override string ToString() =>
        $"{Symbol} breaker tripped at {File}:{Line}, " +
        (ClosedAtLine is { } closed ? $"closed at line {closed}" : "still open at end of data") +
        $", {QuotesWithheld} quotes withheld";
}

/// <summary>What a feed read and what it refused: the account a user checks before trusting a replay.</summary>
public sealed class FeedReport
{
    private static readonly RejectReason[] AllReasons = Enum.GetValues<RejectReason>();
    private readonly long[] _rejects = new long[AllReasons.Length];
    private readonly List<RejectExample> _examples = [];
    private readonly List<BreakerTrip> _breakerTrips = [];

    public FeedReport(string source)
    {
        Source = source;
    }

    public string Source { get; }

    /// <summary>Data rows read from every file of the source (headers not counted).</summary>
    public long RowsRead { get; internal set; }

    public long QuotesEmitted { get; internal set; }

    /// <summary>Bars skipped because neither side traded (weekend and holiday minutes); not errors.</summary>
    public long ZeroVolumeBarsSkipped { get; internal set; }

    /// <summary>Valid quotes not emitted because their symbol's breaker was open.</summary>
    public long QuotesWithheldByBreaker { get; internal set; }

    public long TotalRejects => _rejects.Sum();

    public IReadOnlyDictionary<RejectReason, long> RejectsByReason =>
        AllReasons.Where(r => _rejects[(int)r] > 0).ToDictionary(r => r, r => _rejects[(int)r]);

    /// <summary>The first few rejects of each reason, in the order they were met.</summary>
    public IReadOnlyList<RejectExample> Examples => _examples;

    public IReadOnlyList<BreakerTrip> BreakerTrips => _breakerTrips;

    public long RejectCount(RejectReason reason) => _rejects[(int)reason];

    internal long CountReject(RejectReason reason) => ++_rejects[(int)reason];

    internal void AddExample(RejectExample example) => _examples.Add(example);

    internal void AddBreakerTrip(BreakerTrip trip) => _breakerTrips.Add(trip);

    /// <summary>Sums the reports of several sources, e.g. the parts of a merged feed.</summary>
    public static FeedReport Combine(string source, IEnumerable<FeedReport> parts)
    {
        var combined = new FeedReport(source);
        foreach (var part in parts)
        {
            combined.RowsRead += part.RowsRead;
            combined.QuotesEmitted += part.QuotesEmitted;
            combined.ZeroVolumeBarsSkipped += part.ZeroVolumeBarsSkipped;
            combined.QuotesWithheldByBreaker += part.QuotesWithheldByBreaker;
            for (var i = 0; i < combined._rejects.Length; i++)
                combined._rejects[i] += part._rejects[i];
            combined._examples.AddRange(part._examples);
            combined._breakerTrips.AddRange(part._breakerTrips);
        }

        return combined;
    }

    public override string ToString()
    {
        var text = new StringBuilder()
            .AppendLine($"{Source}: {RowsRead} rows read, {QuotesEmitted} quotes emitted, {TotalRejects} rejected, " +
                        $"{ZeroVolumeBarsSkipped} zero-volume bars skipped, {QuotesWithheldByBreaker} quotes withheld by breaker");
        foreach (var (reason, count) in RejectsByReason)
        {
            text.AppendLine($"  {reason}: {count}");
            foreach (var example in _examples.Where(e => e.Reason == reason))
                text.AppendLine($"    {example}");
        }

        foreach (var trip in _breakerTrips)
            text.AppendLine($"  {trip}");
        return text.ToString();
    }
}
