using HueyP.Domain.Trading;

namespace HueyP.Domain.Orders;

/// <summary>
/// Every fact in an order's life. Plain records: the persistence layer stores one manifest per type.
/// Prices here are decimal (converted once by <see cref="PriceConversion"/>).
/// </summary>
public interface IOrderEvent
{
    string ClientOrderId { get; }
    DateTime TimeUtc { get; }
}

public sealed record OrderInitialized(
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
    DateTime TimeUtc) : IOrderEvent;

public sealed record OrderDenied(string ClientOrderId, string ReasonCode, string Detail, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderSubmitted(string ClientOrderId, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderAccepted(string ClientOrderId, string BrokerOrderId, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderRejected(string ClientOrderId, string Reason, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderTriggered(string ClientOrderId, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderUpdateRequested(
    string ClientOrderId, decimal? NewLimitPrice, decimal? NewStopLoss, decimal? NewTakeProfit, DateTime TimeUtc) : IOrderEvent;

/// <summary>The broker confirmed (<see cref="Applied"/>) or refused the pending update; the order resumes working.</summary>
public sealed record OrderUpdateResolved(string ClientOrderId, bool Applied, string? Reason, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderCancelRequested(string ClientOrderId, DateTime TimeUtc) : IOrderEvent;

/// <summary>The broker refused the cancel (e.g. too late); the order resumes working.</summary>
public sealed record OrderCancelRejected(string ClientOrderId, string Reason, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderCanceled(string ClientOrderId, string Reason, DateTime TimeUtc) : IOrderEvent;

public sealed record OrderExpired(string ClientOrderId, DateTime TimeUtc) : IOrderEvent;

/// <summary>
/// One execution. Whether the order becomes PARTIALLY_FILLED or FILLED follows from the quantities, so a broker
/// cannot make the order claim "filled" while quantity is still open.
/// </summary>
public sealed record OrderFilled(
    string ClientOrderId, string FillId, decimal Quantity, decimal Price, decimal Fee, DateTime TimeUtc) : IOrderEvent;

/// <summary>
/// Timeout or lost connection while a request was in flight: nobody knows whether the broker has it. The order stays
/// in flight until a broker report or reconciliation resolves it; it is never resubmitted automatically, and its
/// symbol holds new orders meanwhile.
/// </summary>
public sealed record OrderOutcomeUnknown(string ClientOrderId, string Cause, DateTime TimeUtc) : IOrderEvent;

/// <summary>
/// The journal's record that something tried to move the order illegally. Applying it changes nothing:
/// the order keeps its state, the fact keeps the evidence.
/// </summary>
public sealed record OrderTransitionRejected(
    string ClientOrderId, string? FromStatus, string AttemptedEvent, string Error, DateTime TimeUtc) : IOrderEvent;
