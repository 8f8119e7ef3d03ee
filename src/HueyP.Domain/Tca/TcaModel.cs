using HueyP.Domain.Trading;

namespace HueyP.Domain.Tca;

/// <summary>One execution and the mid prevailing when it happened.</summary>
public sealed record TcaFill(decimal Quantity, decimal Price, decimal MidAtFill, DateTime TimeUtc);

public sealed record TcaOrderInput(
    string ClientOrderId, string Symbol, Side Side, decimal ArrivalMid, DateTime DecisionTimeUtc, DateTime SubmittedUtc,
    IReadOnlyList<TcaFill> Fills);

/// <summary>
/// Transaction cost of one order. Sign convention: positive = cost to us.
/// Implementation shortfall: side × (average fill − arrival mid at decision) / arrival mid, in bps; it contains
/// both the delay/drift since the decision and the spread. Spread paid: quantity-weighted side × (fill − mid at
/// fill) / mid at fill, in bps (half the quoted spread for a plain market fill, plus any slippage).
/// </summary>
public sealed record OrderTca(
    string ClientOrderId,
    string Symbol,
    Side Side,
    DateOnly TradeDateUtc,
    decimal FilledQuantity,
    decimal AverageFillPrice,
    decimal ImplementationShortfallBps,
    decimal SpreadPaidBps,
    decimal ShortfallCost,
    TimeSpan SubmitToFirstFill);

public sealed record DailyTcaSummary(
    DateOnly TradeDateUtc,
    string Symbol,
    int Orders,
    decimal FilledQuantity,
    decimal ImplementationShortfallBps,
    decimal SpreadPaidBps,
    decimal ShortfallCost,
    TimeSpan AverageSubmitToFirstFill,
    TimeSpan MaxSubmitToFirstFill);
