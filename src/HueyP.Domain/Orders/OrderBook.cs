using System.Collections.Immutable;

namespace HueyP.Domain.Orders;

/// <summary>
/// All orders the engine knows, keyed by client order id: the routing view of /user/engine/orders. It answers
/// "unknown order" for events nobody can own and "is this symbol on hold" for the submit path.
/// </summary>
public sealed record OrderBook(ImmutableSortedDictionary<string, OrderState> Orders)
{
    public static OrderBook Empty { get; } = new(ImmutableSortedDictionary<string, OrderState>.Empty.WithComparers(StringComparer.Ordinal));

    public OrderState? Find(string clientOrderId) => Orders.GetValueOrDefault(clientOrderId);

    public OrderDecision Decide(IOrderEvent proposed) => OrderMachine.Decide(Find(proposed.ClientOrderId), proposed);

    public OrderBook Apply(IOrderEvent e)
    {
        if (e is OrderTransitionRejected) return this;
        var next = OrderMachine.Apply(Find(e.ClientOrderId), e);
        return this with { Orders = Orders.SetItem(e.ClientOrderId, next) };
    }

    /// <summary>Decide and, when accepted, apply; returns the decision so the caller can report it.</summary>
    public (OrderBook Book, OrderDecision Decision) Handle(IOrderEvent proposed)
    {
        var decision = Decide(proposed);
        var book = this;
        if (decision.IsAccepted)
            foreach (var e in decision.Events) book = book.Apply(e);
        return (book, decision);
    }

    /// <summary>A symbol holds new orders while any of its orders has an unresolved (unknown) outcome.</summary>
    public bool IsSymbolHeld(string symbol) =>
        Orders.Values.Any(o => o.HoldsSymbol && string.Equals(o.Symbol, symbol, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<OrderState> Working => Orders.Values.Where(o => o.IsWorking);
}
