using System.Collections.Frozen;

namespace HueyP.Domain.Orders;

/// <summary>
/// The explicit transition table. Every event an order receives is checked against it.
/// Choices beyond the textbook table, each because the real world produces it:
/// PENDING_UPDATE returns to the working status it came from (ACCEPTED, PARTIALLY_FILLED or TRIGGERED) when the
/// broker confirms or refuses the update, and can be overtaken by a fill, cancel or expiry.
/// TRIGGERED (a stop that became a working market/limit order) behaves like ACCEPTED minus another trigger.
/// PENDING_CANCEL → PARTIALLY_FILLED is a failed cancel of a partly filled order; PENDING_CANCEL → PENDING_CANCEL
/// and CANCELED → CANCELED record a partial fill that crossed the cancel (the fill is kept, the status is not
/// rolled back); CANCELED → FILLED is the fill that crossed the cancel and completed the order.
/// </summary>
public static class OrderTransitions
{
    private static readonly FrozenDictionary<OrderStatus, FrozenSet<OrderStatus>> Allowed =
        new Dictionary<OrderStatus, FrozenSet<OrderStatus>>
        {
            [OrderStatus.Initialized] = Set(OrderStatus.Denied, OrderStatus.Submitted),
            [OrderStatus.Submitted] = Set(OrderStatus.Accepted, OrderStatus.Rejected, OrderStatus.Canceled,
                OrderStatus.Filled, OrderStatus.PendingCancel, OrderStatus.PendingUpdate),
            [OrderStatus.Accepted] = Set(OrderStatus.PartiallyFilled, OrderStatus.Filled, OrderStatus.PendingCancel,
                OrderStatus.PendingUpdate, OrderStatus.Canceled, OrderStatus.Expired, OrderStatus.Triggered),
            [OrderStatus.Triggered] = Set(OrderStatus.PartiallyFilled, OrderStatus.Filled, OrderStatus.PendingCancel,
                OrderStatus.PendingUpdate, OrderStatus.Canceled, OrderStatus.Expired),
            [OrderStatus.PartiallyFilled] = Set(OrderStatus.PartiallyFilled, OrderStatus.Filled,
                OrderStatus.PendingCancel, OrderStatus.PendingUpdate, OrderStatus.Canceled, OrderStatus.Expired),
            [OrderStatus.PendingUpdate] = Set(OrderStatus.Accepted, OrderStatus.PartiallyFilled, OrderStatus.Triggered,
                OrderStatus.Filled, OrderStatus.PendingCancel, OrderStatus.Canceled, OrderStatus.Expired),
            [OrderStatus.PendingCancel] = Set(OrderStatus.Canceled, OrderStatus.Accepted, OrderStatus.PartiallyFilled,
                OrderStatus.Triggered, OrderStatus.Filled, OrderStatus.PendingCancel),
            [OrderStatus.Canceled] = Set(OrderStatus.Filled, OrderStatus.Canceled),
            [OrderStatus.Denied] = Set(),
            [OrderStatus.Rejected] = Set(),
            [OrderStatus.Expired] = Set(),
            [OrderStatus.Filled] = Set(),
        }.ToFrozenDictionary();

    public static bool IsAllowed(OrderStatus from, OrderStatus to) => Allowed[from].Contains(to);

    public static IReadOnlySet<OrderStatus> From(OrderStatus from) => Allowed[from];

    public static IEnumerable<(OrderStatus From, OrderStatus To)> All() =>
        Allowed.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value.Order().Select(to => (kv.Key, to)));

    private static FrozenSet<OrderStatus> Set(params OrderStatus[] targets) => targets.ToFrozenSet();
}
