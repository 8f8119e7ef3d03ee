namespace HueyP.Domain.Trading;

public enum Side { Buy, Sell }

public enum OrderType { Market, Limit, Stop }

/// <summary>
/// What the decision pipeline hands to the order side: a risk-checked wish to trade, not yet an order.
/// Everything the order side needs to mint a deterministic client order id is here
/// (strategy, symbol, bar time), and everything TCA needs (arrival mid at decision time).
/// </summary>
public sealed record OrderIntent(
    string Strategy,
    string Symbol,
    Side Side,
    decimal Quantity,
    OrderType Type,
    DateTime BarTimeUtc,
    DateTime DecisionTimeUtc,
    double ArrivalMid,
    double? LimitPrice,
    double StopLoss,
    double TakeProfit,
    int ReentryProfile,
    string Reason);
