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
/// is sent now; anything further along is left alone — in particular a SUBMITTED order is not sent again (only
/// reconciliation does that, with <see cref="ResendUnsent"/>, once it has found the broker never received it).
/// Replies <see cref="OrderStateReply"/>.
/// </summary>
public sealed record EnsureSubmitted(string ClientOrderId) : IOrderMessage;

/// <summary>
/// From reconciliation, which found the broker has never received this order (the node stopped between journaling the
/// submission and the broker recording it): send it again, with its original submission time. Only a SUBMITTED order
/// never accepted, never filled and not waiting on an unknown outcome is sent; anything else is left alone. The broker
/// dedupes by client order id. Replies <see cref="UnsentResendResult"/>.
/// </summary>
public sealed record ResendUnsent(string ClientOrderId) : IOrderMessage;

/// <summary><see cref="Sent"/> false says why not in <see cref="Reason"/>.</summary>
public sealed record UnsentResendResult(string ClientOrderId, bool Sent, string? Reason);

/// <summary>A broker execution report already translated into an order event. Replies <see cref="OrderReportApplied"/>.</summary>
public sealed record ApplyBrokerReport(string ClientOrderId, IOrderEvent Event) : IOrderMessage;

/// <summary>
/// Several reports for one order from one broker step (e.g. accepted and filled on the same quote), journaled in one
/// write with exactly the outcome sending them one by one would have. Replies one <see cref="OrderReportApplied"/>.
/// </summary>
public sealed record ApplyBrokerReports(string ClientOrderId, IReadOnlyList<IOrderEvent> Events) : IOrderMessage;

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

/// <summary>Replies <see cref="OrderHistoryReply"/>: the state and every journaled event (including rejected transitions).</summary>
public sealed record GetOrderHistory(string ClientOrderId) : IOrderMessage;

/// <summary><see cref="State"/> is null when no such order exists.</summary>
public sealed record OrderHistoryReply(string ClientOrderId, OrderState? State, IReadOnlyList<IOrderEvent> Events, long SequenceNr);

/// <summary>
/// Reconciliation's synthetic events for one order, in order; each is checked by the state machine again before it is
/// journaled. Replies <see cref="OrderReportApplied"/>.
/// </summary>
public sealed record ApplyReconciliation(string ClientOrderId, IReadOnlyList<IOrderEvent> Events) : IOrderMessage;

/// <summary>
/// From an order entity to the intake: the order's outcome became unknown (<see cref="Held"/>) or was resolved, so new
/// orders for <see cref="Symbol"/> wait or may go.
/// </summary>
public sealed record SymbolHoldChanged(string Symbol, string ClientOrderId, bool Held);

/// <summary>How an order entity behaves besides its journal: where holds are reported, how long it waits for the broker.</summary>
public sealed record OrderEntitySettings
{
    /// <summary>No acknowledgement from the broker within this time makes the outcome unknown; null never times out (replay).</summary>
    public TimeSpan? BrokerAckTimeout { get; init; }

    /// <summary>How often an order whose outcome is unknown asks the broker again until it gets an answer.</summary>
    public TimeSpan ResolveRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Told each order's wall-clock time from handing it to the broker to the broker's acknowledgement.</summary>
    public IOrderAckObserver? AckObserver { get; init; }

    /// <summary>
    /// A finished order (filled, canceled, rejected, denied, expired) stops its entity this long after it finished, so a
    /// node's memory does not grow with every order it ever traded; a later message for it (a fill that crossed the
    /// cancel, a query) starts the entity again from its journal stream. Null keeps finished orders in memory.
    /// </summary>
    public TimeSpan? PassivateFinishedAfter { get; init; }

    /// <summary>The book every entity reports its journaled state to; null reports nowhere (an entity tested alone).</summary>
    public OrderBookView? Book { get; init; }
}

/// <summary>Telemetry's view of order acknowledgements; called on the order's thread, so it must be quick and never throw.</summary>
public interface IOrderAckObserver
{
    void OnAcknowledged(string symbol, TimeSpan sinceSubmit);
}
