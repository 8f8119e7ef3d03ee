using System.Collections.Immutable;

namespace HueyP.Domain.Broker;

/// <summary>
/// Lookups the matching loop needs per fill and per submission — an order by client id, the protective children of
/// an entry — derived from one <see cref="PaperBrokerState.Orders"/> collection. Answers exactly what a scan of that
/// collection in broker-id order would (the first match by ordinal broker id), without the scan: a slice with n
/// orders used to cost n² order visits.
/// </summary>
internal sealed class BrokerOrderIndex
{
    private readonly ImmutableDictionary<string, string> _firstByClientId;
    private readonly ImmutableDictionary<string, ImmutableArray<string>> _childrenByParent;

    private BrokerOrderIndex(ImmutableSortedDictionary<string, BrokerOrder> orders, ImmutableDictionary<string, string> firstByClientId,
        ImmutableDictionary<string, ImmutableArray<string>> childrenByParent)
    {
        Orders = orders;
        _firstByClientId = firstByClientId;
        _childrenByParent = childrenByParent;
    }

    /// <summary>An index kept step by step elsewhere (<see cref="PaperBrokerSession"/>) for exactly <paramref name="orders"/>.</summary>
    internal static BrokerOrderIndex Of(ImmutableSortedDictionary<string, BrokerOrder> orders, ImmutableDictionary<string, string> firstByClientId,
        ImmutableDictionary<string, ImmutableArray<string>> childrenByParent) => new(orders, firstByClientId, childrenByParent);

    internal ImmutableDictionary<string, string> FirstByClientId => _firstByClientId;

    internal ImmutableDictionary<string, ImmutableArray<string>> ChildrenByParent => _childrenByParent;

    /// <summary>The collection this index describes; any other collection needs its own.</summary>
    public ImmutableSortedDictionary<string, BrokerOrder> Orders { get; }

    public static BrokerOrderIndex Build(ImmutableSortedDictionary<string, BrokerOrder> orders)
    {
        var byClient = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // Orders enumerate in ordinal broker-id order: the first id seen per client id is the smallest.
        foreach (var order in orders.Values)
        {
            byClient.TryAdd(order.ClientOrderId, order.BrokerOrderId);
            if (order.ParentBrokerOrderId is not { } parent) continue;
            if (!children.TryGetValue(parent, out var ids)) children[parent] = ids = [];
            ids.Add(order.BrokerOrderId);
        }
        return new BrokerOrderIndex(orders, byClient.ToImmutable(),
            children.ToImmutableDictionary(c => c.Key, c => c.Value.ToImmutableArray(), StringComparer.Ordinal));
    }

    /// <summary>The order with this client id and the smallest broker id, or null.</summary>
    public BrokerOrder? FindByClientId(string clientOrderId) =>
        _firstByClientId.TryGetValue(clientOrderId, out var brokerId) ? Orders[brokerId] : null;
}
