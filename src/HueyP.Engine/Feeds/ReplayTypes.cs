using HueyP.Engine.Decisions;
using HueyP.MarketData.Validation;

namespace HueyP.Engine.Feeds;

/// <summary>Which part of the data a replay covers: [From, To) in data time, both optional.</summary>
public sealed record ReplayWindow(DateTime? FromUtc = null, DateTime? ToUtc = null)
{
    public static readonly ReplayWindow All = new();

    public bool Contains(DateTime timeUtc) => (FromUtc is not { } from || timeUtc >= from) && (ToUtc is not { } to || timeUtc < to);
}

/// <summary>Reported about every slice with enough new quotes: quotes routed so far and the data clock.</summary>
public readonly record struct ReplayProgress(long Quotes, DateTime DataTimeUtc);

/// <summary>The account of one replay: what was read, what was decided, how fast.</summary>
public sealed record ReplayResult(
    long Quotes,
    long UnknownSymbolQuotes,
    long OutsideWindowQuotes,
    long Slices,
    FeedReport Feed,
    RecorderStats Records,
    int SymbolRestarts,
    TimeSpan Elapsed)
{
    public double QuotesPerSecond => Elapsed > TimeSpan.Zero ? Quotes / Elapsed.TotalSeconds : 0;
}
