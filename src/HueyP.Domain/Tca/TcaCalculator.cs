using HueyP.Domain.Trading;

namespace HueyP.Domain.Tca;

public static class TcaCalculator
{
    private const decimal BasisPoints = 10_000m;

    /// <summary>TCA for an order with at least one fill; figures in bps rounded half-to-even to 4 places.</summary>
    public static OrderTca ForOrder(TcaOrderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ArrivalMid <= 0) throw new ArgumentException($"order {input.ClientOrderId}: arrival mid must be positive", nameof(input));
        if (input.Fills is null || input.Fills.Count == 0)
            throw new ArgumentException($"order {input.ClientOrderId}: no fills, nothing to measure", nameof(input));
        foreach (var f in input.Fills)
            if (f.Quantity <= 0 || f.Price <= 0 || f.MidAtFill <= 0)
                throw new ArgumentException($"order {input.ClientOrderId}: fill quantities, prices and mids must be positive", nameof(input));

        var sign = input.Side == Side.Buy ? 1m : -1m;
        var quantity = input.Fills.Sum(f => f.Quantity);
        var average = input.Fills.Sum(f => f.Price * f.Quantity) / quantity;
        var shortfallBps = sign * (average - input.ArrivalMid) / input.ArrivalMid * BasisPoints;
        var spreadBps = input.Fills.Sum(f => sign * (f.Price - f.MidAtFill) / f.MidAtFill * BasisPoints * f.Quantity) / quantity;
        var firstFill = input.Fills.Min(f => f.TimeUtc);
        return new OrderTca(input.ClientOrderId, input.Symbol, input.Side, DateOnly.FromDateTime(input.DecisionTimeUtc), quantity,
            average, Bps(shortfallBps), Bps(spreadBps), sign * (average - input.ArrivalMid) * quantity, firstFill - input.SubmittedUtc);
    }

    /// <summary>Per (UTC decision date, symbol): quantity-weighted bps, summed cost, mean and max latency.</summary>
    public static IReadOnlyList<DailyTcaSummary> DailyRollup(IEnumerable<OrderTca> orders) =>
        orders.GroupBy(o => (o.TradeDateUtc, o.Symbol))
            .OrderBy(g => g.Key.TradeDateUtc).ThenBy(g => g.Key.Symbol, StringComparer.Ordinal)
            .Select(g =>
            {
                var quantity = g.Sum(o => o.FilledQuantity);
                return new DailyTcaSummary(g.Key.TradeDateUtc, g.Key.Symbol, g.Count(), quantity,
                    Bps(g.Sum(o => o.ImplementationShortfallBps * o.FilledQuantity) / quantity),
                    Bps(g.Sum(o => o.SpreadPaidBps * o.FilledQuantity) / quantity),
                    g.Sum(o => o.ShortfallCost),
                    TimeSpan.FromTicks((long)g.Average(o => o.SubmitToFirstFill.Ticks)),
                    g.Max(o => o.SubmitToFirstFill));
            })
            .ToList();

    private static decimal Bps(decimal value) => Math.Round(value, 4, MidpointRounding.ToEven);
}
