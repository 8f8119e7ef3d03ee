using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Ticks;

/// <summary>
/// A bid/ask tick file. Format (header required, LF or CRLF, optionally gzip):
/// <c>[symbol,]ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size</c>. The time is read from
/// <c>ts_event_ns</c> (nanoseconds since 1970-01-01 in the file's clock); <c>timestamp_as_stored</c> is for people.
/// Sizes are quoted depth, not traded volume, so quotes carry Volume 0.
/// </summary>
public sealed record TickFileOptions
{
    /// <summary>HistData's clock: New York standard time all year (UTC−5) written as if it were UTC.</summary>
    public static readonly TimeSpan NewYorkStandardTimeToUtc = TimeSpan.FromHours(5);

    public required string Path { get; init; }

    /// <summary>Symbol of every row when the file has no <c>symbol</c> column; ignored when it has one.</summary>
    public string? Symbol { get; init; }

    /// <summary>Added to every stored timestamp to obtain UTC (e.g. <see cref="NewYorkStandardTimeToUtc"/>).</summary>
    public TimeSpan TimeOffset { get; init; }

    public ValidationOptions Validation { get; init; } = ValidationOptions.Lenient;
}
