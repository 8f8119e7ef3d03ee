using System.Collections.Immutable;
using HueyP.Domain.Orders;
using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Orders;

/// <summary>What an engine's start folded into its order book: orders, journal events read, and the seed's offset if one was used.</summary>
public sealed record OrderBookLoad(int Orders, long EventsRead, long? SeedOffset);

/// <summary>
/// Every order of /user/engine/orders as one book, without asking (and so recovering) every entity: each entity reports
/// the state its journaled event left, and the engine's start folds what the journal already held — from a warm
/// standby's seed when one was offered, so a takeover reads only the tail. Finished orders can then leave memory as
/// entities (<see cref="OrderEntitySettings.PassivateFinishedAfter"/>) and still count in the book, its hash and
/// reconciliation. Holds one <see cref="OrderState"/> per order.
/// </summary>
public sealed class OrderBookView
{
    /// <summary>The name under which a warm projection offers its folded order book (<see cref="ProjectionSeed"/>).</summary>
    public const string SeedName = "order-book";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, OrderState> _orders = new(StringComparer.Ordinal);

    /// <summary>An entity's state after an event it journaled: it is the newest there is.</summary>
    public void Reported(OrderState state)
    {
        lock (_gate) _orders[state.ClientOrderId] = state;
    }

    /// <summary>
    /// Folded journal states join the book for orders no entity has reported yet: a report is at least as new as
    /// anything read from the journal before it, so it is never replaced.
    /// </summary>
    public void Seed(IEnumerable<KeyValuePair<string, OrderState>> folded)
    {
        lock (_gate)
        {
            foreach (var (id, state) in folded) _orders.TryAdd(id, state);
        }
    }

    public OrderBook Book()
    {
        lock (_gate)
        {
            return new OrderBook(_orders.ToImmutableSortedDictionary(StringComparer.Ordinal));
        }
    }
}
