using HueyP.Domain.Trading;

namespace HueyP.Domain.Ledger;

public interface ILedgerEvent
{
    DateTime TimeUtc { get; }
}

/// <summary>One execution booked exactly once (its <see cref="FillId"/> is remembered).</summary>
public sealed record FillBooked(
    string FillId, string ClientOrderId, string Symbol, Side Side, decimal Quantity, decimal Price, decimal Fee,
    DateTime TimeUtc) : ILedgerEvent;

/// <summary>New top of book for a symbol: drives unrealized P&amp;L, NAV, margin and drawdown.</summary>
public sealed record MarkUpdated(string Symbol, decimal Bid, decimal Ask, DateTime TimeUtc) : ILedgerEvent;

/// <summary>Deposit, withdrawal, swap or any cash movement that is not a fill.</summary>
public sealed record CashAdjusted(string AdjustmentId, decimal Amount, string Reason, DateTime TimeUtc) : ILedgerEvent;

/// <summary>
/// Reconciliation's correction when the broker's position differs from ours and no fill explains it:
/// the delta is booked like a fill at <see cref="Price"/> without fee.
/// </summary>
public sealed record PositionAdjusted(
    string AdjustmentId, string Symbol, decimal QuantityDelta, decimal Price, string Reason, DateTime TimeUtc) : ILedgerEvent;

/// <summary>The journal's record of refused input; applying it changes nothing.</summary>
public sealed record LedgerEntryRejected(string EntryId, string Attempted, string Error, DateTime TimeUtc) : ILedgerEvent;
