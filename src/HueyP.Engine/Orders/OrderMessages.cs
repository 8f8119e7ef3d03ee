using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;

namespace HueyP.Engine.Orders;

/// <summary>Messages the orders region routes to the entity named by <see cref="ClientOrderId"/>.</summary>
public interface IOrderMessage
{
    string ClientOrderId { get; }
}

/// <summary>From the intake: the order's first event and the pre-trade verdict. Replies <see cref="OrderCreated"/>.</summary>
public sealed record CreateOrder(OrderInitialized Init, PreTradeVerdict Verdict) : IOrderMessage
{
    public string ClientOrderId => Init.ClientOrderId;
}

/// <summary>After the order is journaled: SUBMITTED (sent to the broker) or DENIED with its reason code.</summary>
public sealed record OrderCreated(string ClientOrderId, OrderStatus Status, string? ReasonCode);

/// <summary>
/// From the intake when an intent is replayed: an order journaled as INITIALIZED but never sent (a crash in between)
/// is sent now; anything further along is left alone — in particular a SUBMITTED order is never sent again.
/// Replies <see cref="OrderStateReply"/>.
/// </summary>
public sealed record EnsureSubmitted(string ClientOrderId) : IOrderMessage;

/// <summary>A broker execution report already translated into an order event. Replies <see cref="OrderReportApplied"/>.</summary>
public sealed record ApplyBrokerReport(string ClientOrderId, IOrderEvent Event) : IOrderMessage;

public sealed record OrderReportApplied(string ClientOrderId, OrderDecisionOutcome Outcome, string? Error);

/// <summary>Request a cancel. Replies <see cref="CancelOrderResult"/>; the broker's answer arrives as a report.</summary>
public sealed record CancelOrder(string ClientOrderId, DateTime TimeUtc) : IOrderMessage;

public sealed record CancelOrderResult(string ClientOrderId, bool Requested, string? Error);

/// <summary>
/// A request to the broker timed out or the connection dropped: nobody knows whether the broker has the order. The
/// order stays in flight (never resubmitted) until a report or reconciliation resolves it.
/// </summary>
public sealed record MarkOutcomeUnknown(string ClientOrderId, string Cause, DateTime TimeUtc) : IOrderMessage;

/// <summary>Replies <see cref="OrderStateReply"/> after every earlier message to the order has been journaled.</summary>
public sealed record GetOrderState(string ClientOrderId) : IOrderMessage;

public sealed record OrderStateReply(string ClientOrderId, OrderState? State, long SequenceNr);
