using System.Collections.Immutable;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Orders;

/// <summary>Snapshot-friendly state of one order, built only by <see cref="OrderMachine.Apply"/>.</summary>
public sealed record OrderState(
    string ClientOrderId,
    string Strategy,
    string Symbol,
    Side Side,
    OrderType Type,
    decimal Quantity,
    decimal? LimitPrice,
    decimal StopLoss,
    decimal TakeProfit,
    DateTime BarTimeUtc,
    DateTime DecisionTimeUtc,
    decimal ArrivalMid,
    OrderStatus Status,
    OrderStatus? ResumeStatus,
    string? BrokerOrderId,
    decimal FilledQuantity,
    decimal AverageFillPrice,
    decimal Fees,
    ImmutableList<string> FillIds,
    bool OutcomeUnknown,
    string? LastReason,
    DateTime? SubmittedAtUtc,
    DateTime? FirstFillAtUtc,
    DateTime LastEventUtc,
    OrderUpdateRequested? PendingChange = null)
{
    public decimal RemainingQuantity => Quantity - FilledQuantity;

    /// <summary>True while nobody knows whether the broker holds this order: the symbol must not send new orders.</summary>
    public bool HoldsSymbol => OutcomeUnknown && !Status.IsTerminal();

    public bool IsWorking => !Status.IsTerminal() && Status != OrderStatus.Initialized;
}
