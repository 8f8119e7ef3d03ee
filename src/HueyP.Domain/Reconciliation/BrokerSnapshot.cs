using HueyP.Domain.Broker;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Reconciliation;

public sealed record BrokerOrderView(
    string ClientOrderId, string BrokerOrderId, string Symbol, Side Side, decimal Quantity, decimal FilledQuantity,
    BrokerOrderStatus Status, string? ParentClientOrderId);

public sealed record BrokerFillView(
    string FillId, string ClientOrderId, string Symbol, Side Side, decimal Quantity, decimal Price, decimal Fee, DateTime TimeUtc);

public sealed record BrokerPositionView(string Symbol, decimal Quantity, decimal AveragePrice);

/// <summary>What the broker reports at one instant: its orders (working and recently finished), executions, positions.</summary>
public sealed record BrokerSnapshot(
    DateTime AsOfUtc,
    IReadOnlyList<BrokerOrderView> Orders,
    IReadOnlyList<BrokerFillView> Fills,
    IReadOnlyList<BrokerPositionView> Positions)
{
    public static BrokerSnapshot From(PaperBrokerState broker, DateTime asOfUtc)
    {
        var clientIdByBrokerId = broker.Orders.Values.ToDictionary(o => o.BrokerOrderId, o => o.ClientOrderId);
        return new BrokerSnapshot(asOfUtc,
            broker.Orders.Values.Select(o => new BrokerOrderView(o.ClientOrderId, o.BrokerOrderId, o.Symbol, o.Side, o.Quantity,
                o.FilledQuantity, o.Status, o.ParentBrokerOrderId is { } parent ? clientIdByBrokerId[parent] : null)).ToList(),
            broker.Fills.Select(f => new BrokerFillView(f.FillId, f.ClientOrderId, f.Symbol, f.Side, f.Quantity, f.Price, f.Fee, f.TimeUtc)).ToList(),
            broker.Positions.Values.Select(p => new BrokerPositionView(p.Symbol, p.Quantity, p.AveragePrice)).ToList());
    }
}
