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

    /// <summary>Broker ids of the orders whose parent is <paramref name="parentBrokerOrderId"/>, in ordinal order.</summary>
    public ImmutableArray<string> ChildrenOf(string parentBrokerOrderId) =>
        _childrenByParent.TryGetValue(parentBrokerOrderId, out var ids) ? ids : [];

    /// <summary>The index of <paramref name="orders"/>, which is <see cref="Orders"/> plus the new order <paramref name="added"/>.</summary>
    public BrokerOrderIndex WithAdded(ImmutableSortedDictionary<string, BrokerOrder> orders, BrokerOrder added)
    {
        var byClient = _firstByClientId;
        if (!byClient.TryGetValue(added.ClientOrderId, out var first) || string.CompareOrdinal(added.BrokerOrderId, first) < 0)
            byClient = byClient.SetItem(added.ClientOrderId, added.BrokerOrderId);
        var children = _childrenByParent;
        if (added.ParentBrokerOrderId is { } parent)
        {
            var ids = ChildrenOf(parent).Add(added.BrokerOrderId);
            if (ids.Length > 1 && string.CompareOrdinal(ids[^2], ids[^1]) > 0) ids = [.. ids.Order(StringComparer.Ordinal)];
            children = children.SetItem(parent, ids);
        }
        return new BrokerOrderIndex(orders, byClient, children);
    }

    /// <summary>The index of <paramref name="orders"/>, which differs from <see cref="Orders"/> only in orders' quantities and statuses.</summary>
    public BrokerOrderIndex WithUpdated(ImmutableSortedDictionary<string, BrokerOrder> orders) =>
        new(orders, _firstByClientId, _childrenByParent);
}
