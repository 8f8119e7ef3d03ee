using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Dukascopy;

/// <summary>How a 1-minute bid/ask bar pair becomes quotes.</summary>
public enum BarQuoteMode
{
    /// <summary>
    /// Four quotes per bar walking open, the nearer extreme, the other extreme, close, at +0 s, +15 s, +30 s, +45 s.
    /// A bar that closed at or above its open (by bid) is assumed to have dipped first: O, L, H, C; otherwise
    /// O, H, L, C — the MT4 tester's convention. Stops and limits inside the bar's range are then reached in replay.
    /// </summary>
    OpenHighLowClose,

    /// <summary>One quote per bar at the close, stamped +45 s like the close of <see cref="OpenHighLowClose"/>.</summary>
    CloseOnly,
}

/// <summary>A Dukascopy 1-minute export: one BID file and one ASK file of the same symbol.</summary>
public sealed record DukascopyOptions
{
    public required string Symbol { get; init; }
    public required string BidPath { get; init; }
    public required string AskPath { get; init; }

    public BarQuoteMode QuotesPerBar { get; init; } = BarQuoteMode.OpenHighLowClose;

    /// <summary>
    /// Skip minutes in which neither side traded. Dukascopy fills weekends with flat Volume-0 bars; replaying them would
    /// show strategies a frozen market for two days.
    /// </summary>
    public bool SkipZeroVolumeBars { get; init; } = true;

    public ValidationOptions Validation { get; init; } = ValidationOptions.Lenient;

    /// <summary>
    /// The shipped naming, <c>{symbol}_M1_BID_{period}.csv.gz</c> and <c>..._ASK_...</c>, e.g. period "2025-04".
    /// </summary>
    public static DukascopyOptions ForShippedFiles(string folder, string symbol, string period) => new()
    {
        Symbol = symbol,
        BidPath = Path.Combine(folder, $"{symbol}_M1_BID_{period}.csv.gz"),
        AskPath = Path.Combine(folder, $"{symbol}_M1_ASK_{period}.csv.gz"),
    };
}
