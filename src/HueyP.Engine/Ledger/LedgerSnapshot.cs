using System.Collections.Immutable;
using HueyP.Domain.Ledger;

namespace HueyP.Engine.Ledger;

/// <summary>
/// The ledger state as stored in a snapshot. Collections are plain lists because a deserialized sorted dictionary
/// would lose its ordinal comparer (and with it the canonical order <see cref="LedgerStateHash"/> relies on).
/// </summary>
public sealed record LedgerSnapshot(
    decimal Leverage, long SessionBoundaryTicks, string AccountCurrency,
    decimal Cash, List<Position> Positions, List<LedgerSnapshotMark> Marks, List<string> AppliedEntryIds,
    decimal RealizedPnl, decimal FeesPaid, decimal PeakNav, decimal MaxDrawdown, decimal MaxDrawdownFraction,
    DateTime SessionStartUtc, decimal SessionOpenNav, decimal SessionPeakNav, decimal SessionMaxDrawdown, DateTime LastEventUtc)
{
    public static LedgerSnapshot From(LedgerState s) => new(
        s.Options.Leverage, s.Options.SessionBoundaryUtc.Ticks, s.Options.AccountCurrency,
        s.Cash, s.Positions.Values.ToList(), s.Marks.Select(m => new LedgerSnapshotMark(m.Key, m.Value.Bid, m.Value.Ask, m.Value.TimeUtc)).ToList(),
        s.AppliedEntryIds.ToList(), s.RealizedPnl, s.FeesPaid, s.PeakNav, s.MaxDrawdown, s.MaxDrawdownFraction,
        s.SessionStartUtc, s.SessionOpenNav, s.SessionPeakNav, s.SessionMaxDrawdown, s.LastEventUtc);

    public LedgerState ToState() => new(
        new LedgerOptions(Leverage, TimeSpan.FromTicks(SessionBoundaryTicks), AccountCurrency),
        Cash,
        Positions.ToImmutableSortedDictionary(p => p.Symbol, p => p, StringComparer.Ordinal),
        Marks.ToImmutableSortedDictionary(m => m.Symbol, m => new Mark(m.Bid, m.Ask, m.TimeUtc), StringComparer.Ordinal),
        AppliedEntryIds.ToImmutableSortedSet(StringComparer.Ordinal),
        RealizedPnl, FeesPaid, PeakNav, MaxDrawdown, MaxDrawdownFraction,
        SessionStartUtc, SessionOpenNav, SessionPeakNav, SessionMaxDrawdown, LastEventUtc);
}

public sealed record LedgerSnapshotMark(string Symbol, decimal Bid, decimal Ask, DateTime TimeUtc);
