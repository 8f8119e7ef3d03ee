using System.Collections.Immutable;

namespace HueyP.Domain.Ledger;

/// <summary>Net position in one symbol: signed quantity in base units (long &gt; 0), average entry price.</summary>
public sealed record Position(string Symbol, decimal Quantity, decimal AveragePrice, decimal RealizedPnl)
{
    public bool IsFlat => Quantity == 0m;
}

public sealed record Mark(decimal Bid, decimal Ask, DateTime TimeUtc)
{
    public decimal Mid => (Bid + Ask) / 2m;
}

/// <summary>
/// Snapshot-friendly account state. Valuation convention: longs are marked to the bid and shorts to the ask,
/// i.e. at the price the position could be closed at now, so NAV never flatters an open position by the spread.
/// Margin and exposure use the mid. A symbol with no quote yet is marked at its last fill price.
/// </summary>
public sealed record LedgerState(
    LedgerOptions Options,
    decimal Cash,
    ImmutableSortedDictionary<string, Position> Positions,
    ImmutableSortedDictionary<string, Mark> Marks,
    ImmutableSortedSet<string> AppliedEntryIds,
    decimal RealizedPnl,
    decimal FeesPaid,
    decimal PeakNav,
    decimal MaxDrawdown,
    decimal MaxDrawdownFraction,
    DateTime SessionStartUtc,
    decimal SessionOpenNav,
    decimal SessionPeakNav,
    decimal SessionMaxDrawdown,
    DateTime LastEventUtc)
{
    public static LedgerState Open(LedgerOptions options, decimal initialCash, DateTime startUtc)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        if (initialCash < 0) throw new ArgumentOutOfRangeException(nameof(initialCash), initialCash, "initial cash must not be negative");
        return new LedgerState(options, initialCash,
            ImmutableSortedDictionary<string, Position>.Empty.WithComparers(StringComparer.Ordinal),
            ImmutableSortedDictionary<string, Mark>.Empty.WithComparers(StringComparer.Ordinal),
            ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal),
            0m, 0m, initialCash, 0m, 0m, options.SessionStart(startUtc), initialCash, initialCash, 0m, startUtc);
    }

    public Position PositionOf(string symbol) =>
        Positions.GetValueOrDefault(symbol) ?? new Position(symbol, 0m, 0m, 0m);

    public decimal UnrealizedPnlOf(string symbol)
    {
        var p = PositionOf(symbol);
        if (p.IsFlat) return 0m;
        var mark = Marks.GetValueOrDefault(symbol);
        var exit = mark is null ? p.AveragePrice : p.Quantity > 0 ? mark.Bid : mark.Ask;
        return (exit - p.AveragePrice) * p.Quantity;
    }

    public decimal UnrealizedPnl => Positions.Keys.Sum(UnrealizedPnlOf);

    /// <summary>Net asset value: cash (which already holds realized P&amp;L and fees) plus unrealized P&amp;L.</summary>
    public decimal Nav => Cash + UnrealizedPnl;

    /// <summary>Signed notional at mid in account currency (long positive).</summary>
    public decimal ExposureOf(string symbol)
    {
        var p = PositionOf(symbol);
        var price = Marks.GetValueOrDefault(symbol)?.Mid ?? p.AveragePrice;
        return p.Quantity * price;
    }

    public decimal GrossExposure => Positions.Keys.Sum(s => Math.Abs(ExposureOf(s)));

    public decimal NetExposure => Positions.Keys.Sum(ExposureOf);

    public decimal MarginUsed => GrossExposure / Options.Leverage;

    public decimal FreeMargin => Nav - MarginUsed;

    /// <summary>P&amp;L since the current session began (realized, unrealized and fees together).</summary>
    public decimal DailyPnl => Nav - SessionOpenNav;

    public decimal CurrentDrawdown => PeakNav - Nav;

    public decimal SessionDrawdown => SessionPeakNav - Nav;
}
