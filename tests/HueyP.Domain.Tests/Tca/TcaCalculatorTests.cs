using HueyP.Domain.Tca;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Tca;

public class TcaCalculatorTests
{
    private static readonly DateTime Decision = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);

    private static TcaOrderInput Order(string id, Side side, decimal arrival, string symbol = "EURUSD", DateTime? decision = null, params TcaFill[] fills) =>
        new(id, symbol, side, arrival, decision ?? Decision, (decision ?? Decision).AddMilliseconds(200), fills);

    [Fact]
    public void A_buy_filled_above_the_arrival_mid_shows_a_positive_cost()
    {
        // arrival mid 1.08500; filled at the ask 1.08510 while the mid was 1.08505
        var tca = TcaCalculator.ForOrder(Order("A", Side.Buy, 1.08500m, fills: new TcaFill(10_000m, 1.08510m, 1.08505m, Decision.AddMilliseconds(450))));

        Assert.Equal(0.9217m, tca.ImplementationShortfallBps);   // 0.0001 / 1.085 × 10^4
        Assert.Equal(0.4608m, tca.SpreadPaidBps);               // 0.00005 / 1.08505 × 10^4
        Assert.Equal(1.0m, tca.ShortfallCost);                   // 0.0001 × 10,000 in USD
        Assert.Equal(TimeSpan.FromMilliseconds(250), tca.SubmitToFirstFill);
    }

    [Fact]
    public void A_sell_filled_above_the_arrival_mid_is_a_gain_so_the_shortfall_is_negative()
    {
        var tca = TcaCalculator.ForOrder(Order("S", Side.Sell, 1.08500m, fills: new TcaFill(10_000m, 1.08520m, 1.08530m, Decision.AddSeconds(1))));
        Assert.True(tca.ImplementationShortfallBps < 0);
        Assert.Equal(0.9214m, tca.SpreadPaidBps);   // sold 1 pip under the mid at fill time
        Assert.Equal(-2.0m, tca.ShortfallCost);
    }

    [Fact]
    public void Partial_fills_are_quantity_weighted_and_latency_is_to_the_first_fill()
    {
        var tca = TcaCalculator.ForOrder(Order("P", Side.Buy, 1.1000m, fills:
        [
            new TcaFill(3_000m, 1.1002m, 1.1001m, Decision.AddSeconds(3)),
            new TcaFill(1_000m, 1.1006m, 1.1005m, Decision.AddSeconds(1)),
        ]));
        Assert.Equal(1.1003m, tca.AverageFillPrice);
        Assert.Equal(2.7273m, tca.ImplementationShortfallBps);
        Assert.Equal(TimeSpan.FromMilliseconds(800), tca.SubmitToFirstFill);
    }

    [Fact]
    public void The_daily_roll_up_groups_by_date_and_symbol()
    {
        var orders = new[]
        {
            TcaCalculator.ForOrder(Order("1", Side.Buy, 1.1000m, fills: new TcaFill(10_000m, 1.1001m, 1.1000m, Decision.AddSeconds(1)))),
            TcaCalculator.ForOrder(Order("2", Side.Buy, 1.1000m, fills: new TcaFill(30_000m, 1.1002m, 1.1000m, Decision.AddSeconds(3)))),
            TcaCalculator.ForOrder(Order("3", Side.Sell, 1.3000m, "GBPUSD", fills: new TcaFill(10_000m, 1.2999m, 1.3000m, Decision.AddSeconds(1)))),
            TcaCalculator.ForOrder(Order("4", Side.Buy, 1.1000m, decision: Decision.AddDays(1), fills: new TcaFill(10_000m, 1.1000m, 1.1000m, Decision.AddDays(1).AddSeconds(1)))),
        };

        var rollup = TcaCalculator.DailyRollup(orders);

        Assert.Equal(3, rollup.Count);
        var eur = rollup[0];
        Assert.Equal(("EURUSD", 2, 40_000m), (eur.Symbol, eur.Orders, eur.FilledQuantity));
        Assert.Equal(1.5909m, eur.ImplementationShortfallBps);   // (0.9091×10k + 1.8182×30k) / 40k
        Assert.Equal(7m, eur.ShortfallCost);
        Assert.Equal(TimeSpan.FromMilliseconds(1800), eur.AverageSubmitToFirstFill);
        Assert.Equal(TimeSpan.FromMilliseconds(2800), eur.MaxSubmitToFirstFill);
        Assert.Equal("GBPUSD", rollup[1].Symbol);
        Assert.Equal(new DateOnly(2025, 4, 2), rollup[2].TradeDateUtc);
    }

    [Fact]
    public void An_order_without_fills_or_with_a_bad_price_is_refused()
    {
        Assert.Contains("no fills", Assert.Throws<ArgumentException>(() => TcaCalculator.ForOrder(Order("X", Side.Buy, 1.1m))).Message);
        Assert.Throws<ArgumentException>(() => TcaCalculator.ForOrder(Order("X", Side.Buy, 0m, fills: new TcaFill(1m, 1m, 1m, Decision))));
        Assert.Throws<ArgumentException>(() => TcaCalculator.ForOrder(Order("X", Side.Buy, 1m, fills: new TcaFill(-1m, 1m, 1m, Decision))));
    }
}
