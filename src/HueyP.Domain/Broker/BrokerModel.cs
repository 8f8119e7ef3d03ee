using HueyP.Domain.Trading;

namespace HueyP.Domain.Broker;

public enum BrokerOrderRole { Entry, StopLoss, TakeProfit }

public enum BrokerOrderStatus { Working, Filled, Canceled }

/// <summary>What the engine sends: the order plus its protective stop-loss and take-profit.</summary>
public sealed record BrokerOrderRequest(
    string ClientOrderId, string Symbol, Side Side, OrderType Type, decimal Quantity, decimal? Price,
    decimal? StopLoss, decimal? TakeProfit);

/// <summary>An order as the broker holds it. Protective children carry the parent's id and share an OCO group.</summary>
public sealed record BrokerOrder(
    string BrokerOrderId,
    string ClientOrderId,
    string Symbol,
    Side Side,
    OrderType Type,
    decimal Quantity,
    decimal FilledQuantity,
    decimal? Price,
    decimal? StopLoss,
    decimal? TakeProfit,
    BrokerOrderRole Role,
    string? ParentBrokerOrderId,
    BrokerOrderStatus Status,
    DateTime SubmittedUtc)
{
    public decimal RemainingQuantity => Quantity - FilledQuantity;
}

public sealed record BrokerPosition(string Symbol, decimal Quantity, decimal AveragePrice);

public sealed record BrokerFillRecord(
    string FillId, string BrokerOrderId, string ClientOrderId, string Symbol, Side Side, decimal Quantity,
    decimal Price, decimal Fee, DateTime TimeUtc, BrokerOrderRole Role);

public interface IExecutionReport
{
    string ClientOrderId { get; }
    DateTime TimeUtc { get; }
}

public sealed record BrokerOrderAccepted(string ClientOrderId, string BrokerOrderId, DateTime TimeUtc) : IExecutionReport;

public sealed record BrokerOrderRejected(string ClientOrderId, string Reason, DateTime TimeUtc) : IExecutionReport;

public sealed record BrokerOrderFilled(
    string ClientOrderId, string BrokerOrderId, string FillId, string Symbol, Side Side, decimal Quantity,
    decimal Price, decimal Fee, decimal RemainingQuantity, BrokerOrderRole Role, DateTime TimeUtc) : IExecutionReport;

public sealed record BrokerOrderCanceled(string ClientOrderId, string BrokerOrderId, string Reason, DateTime TimeUtc) : IExecutionReport;

public sealed record BrokerCancelRejected(string ClientOrderId, string Reason, DateTime TimeUtc) : IExecutionReport;
