using System.Collections.Immutable;
using HueyP.Domain.Broker;
using HueyP.Domain.Market;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Broker;

public class PaperBrokerTests
{
    // Tuesday, market open.
    private static readonly DateTime T0 = new(2025, 4, 1, 10, 0, 0, DateTimeKind.Utc);

    private static PaperBrokerOptions Options(decimal slippage = 0m, SlippageUnit unit = SlippageUnit.Pips, double partial = 0, ulong seed = 7) =>
        new([new PaperSymbol("EURUSD", 0.0001m), new PaperSymbol("USDJPY", 0.01m)], slippage, unit, Leverage: 30m,
            PartialFillProbability: partial, LotStep: 1_000m, Seed: seed, Hours: MarketHours.Fx);

    private static PaperBrokerState Broker(PaperBrokerOptions? options = null, decimal balance = 10_000m)
    {
        var state = PaperBrokerState.Open(options ?? Options(), balance);
        return PaperBroker.OnQuote(state, Q(0, 1.0850, 1.0852)).State;
    }

    private static Quote Q(int seconds, double bid, double ask) => new("EURUSD", T0.AddSeconds(seconds), bid, ask);

    private static BrokerOrderRequest Request(string id, Side side = Side.Buy, decimal qty = 10_000m, OrderType type = OrderType.Market,
        decimal? price = null, decimal? sl = null, decimal? tp = null, string symbol = "EURUSD") =>
        new(id, symbol, side, type, qty, price, sl, tp);

    private static (PaperBrokerState, List<IExecutionReport>) Run(PaperBrokerState state, params object[] steps)
    {
        var all = new List<IExecutionReport>();
        var t = 1;
        foreach (var step in steps)
        {
            var (next, reports) = step switch
            {
                BrokerOrderRequest r => PaperBroker.Submit(state, r, T0.AddSeconds(t)),
                Quote q => PaperBroker.OnQuote(state, q),
                _ => throw new ArgumentException("step"),
            };
            state = next;
            all.AddRange(reports);
            t++;
        }
        return (state, all);
    }

    [Fact]
    public void A_market_buy_fills_at_the_ask_of_the_next_quote_not_the_current_one()
    {
        var (state, reports) = Run(Broker(), Request("A"));
        Assert.IsType<BrokerOrderAccepted>(Assert.Single(reports));

        (state, reports) = Run(state, Q(5, 1.0860, 1.0862));
        var fill = Assert.IsType<BrokerOrderFilled>(Assert.Single(reports));
        Assert.Equal(1.0862m, fill.Price);
        Assert.Equal(10_000m, state.QuantityOf("EURUSD"));
    }

    [Theory]
    [InlineData(Side.Buy, 0.5, SlippageUnit.Pips, 1.08625)]
    [InlineData(Side.Sell, 0.5, SlippageUnit.Pips, 1.08595)]
    [InlineData(Side.Buy, 0.0001, SlippageUnit.Fraction, 1.0863086200)]
    public void Slippage_is_always_against_the_trader(Side side, decimal slippage, SlippageUnit unit, decimal expected)
    {
        var (_, reports) = Run(Broker(Options(slippage, unit)), Request("A", side), Q(5, 1.0860, 1.0862));
        Assert.Equal(expected, reports.OfType<BrokerOrderFilled>().Single().Price);
    }

    [Fact]
    public void A_buy_limit_waits_until_the_ask_reaches_it_and_fills_at_the_better_price()
    {
        var (state, reports) = Run(Broker(), Request("L", type: OrderType.Limit, price: 1.0840m), Q(5, 1.0845, 1.0847));
        Assert.Empty(reports.OfType<BrokerOrderFilled>());

        (_, reports) = Run(state, Q(10, 1.0836, 1.0838));   // gapped through the limit
        Assert.Equal(1.0838m, reports.OfType<BrokerOrderFilled>().Single().Price);
    }

    [Fact]
    public void A_sell_stop_triggers_when_the_bid_crosses_and_fills_like_a_market_order()
    {
        var (state, reports) = Run(Broker(Options(slippage: 1m)), Request("S", Side.Sell, type: OrderType.Stop, price: 1.0830m), Q(5, 1.0835, 1.0837));
        Assert.Empty(reports.OfType<BrokerOrderFilled>());

        (state, reports) = Run(state, Q(10, 1.0828, 1.0830));
        Assert.Equal(1.0827m, reports.OfType<BrokerOrderFilled>().Single().Price);   // bid − 1 pip
        Assert.Equal(-10_000m, state.QuantityOf("EURUSD"));
    }

    [Fact]
    public void Stop_loss_and_take_profit_are_broker_side_OCO_children_that_close_the_position()
    {
        var (state, _) = Run(Broker(), Request("E", sl: 1.0800m, tp: 1.0900m), Q(5, 1.0850, 1.0852));
        var children = state.OpenOrders.Where(o => o.Role != BrokerOrderRole.Entry).ToList();
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal(10_000m, c.Quantity));
        Assert.Contains(children, c => c.ClientOrderId == "E-SL" && c.Type == OrderType.Stop && c.Side == Side.Sell);

        var (closed, reports) = Run(state, Q(10, 1.0905, 1.0907));   // take-profit reached

        var tp = reports.OfType<BrokerOrderFilled>().Single();
        Assert.Equal(BrokerOrderRole.TakeProfit, tp.Role);
        Assert.Equal(1.0905m, tp.Price);
        Assert.Equal("E-SL", reports.OfType<BrokerOrderCanceled>().Single().ClientOrderId);
        Assert.Equal(0m, closed.QuantityOf("EURUSD"));
        Assert.Empty(closed.OpenOrders);
        Assert.Equal(10_000m + 10_000m * (1.0905m - 1.0852m), closed.Balance);
    }

    [Fact]
    public void Partial_fills_are_reproducible_under_the_same_seed()
    {
        var quotes = Enumerable.Range(1, 12).Select(i => (object)Q(i * 5, 1.0850, 1.0852)).ToArray();
        List<decimal> FillSizes(ulong seed)
        {
            var (_, reports) = Run(Broker(Options(partial: 0.8, seed: seed)), [Request("P", qty: 50_000m), .. quotes]);
            return reports.OfType<BrokerOrderFilled>().Where(f => f.Role == BrokerOrderRole.Entry).Select(f => f.Quantity).ToList();
        }

        var first = FillSizes(11);
        Assert.Equal(first, FillSizes(11));
        Assert.True(first.Count > 1, "a 0.8 partial probability should split the order");
        Assert.Equal(50_000m, first.Sum());
        Assert.All(first, q => Assert.Equal(0m, q % 1_000m));
    }

    [Fact]
    public void Unknown_symbol_market_closed_and_insufficient_margin_are_rejected()
    {
        var broker = Broker();
        Assert.Contains("unknown symbol", Reject(broker, Request("U", symbol: "XAUUSD"), T0));
        var saturday = new DateTime(2025, 4, 5, 12, 0, 0, DateTimeKind.Utc);
        Assert.Contains("market closed", Reject(broker, Request("C"), saturday));
        Assert.Contains("insufficient margin", Reject(broker, Request("M", qty: 500_000m), T0));   // 542k / 30 > 10k
        Assert.Contains("no price yet", Reject(broker, Request("J", symbol: "USDJPY"), T0));
    }

    [Fact]
    public void The_broker_refuses_a_second_order_with_the_same_client_id()
    {
        var (state, _) = Run(Broker(), Request("A"));
        Assert.Contains("duplicate client order id", Reject(state, Request("A"), T0.AddSeconds(3)));
    }

    [Fact]
    public void Canceling_an_unfilled_entry_cancels_it_and_a_second_cancel_is_refused()
    {
        var (state, _) = Run(Broker(), Request("L", type: OrderType.Limit, price: 1.0800m, sl: 1.0750m, tp: 1.0900m));
        var (canceled, reports) = PaperBroker.Cancel(state, "L", T0.AddSeconds(9));
        Assert.IsType<BrokerOrderCanceled>(Assert.Single(reports));
        Assert.Empty(canceled.OpenOrders);
        Assert.IsType<BrokerCancelRejected>(Assert.Single(PaperBroker.Cancel(canceled, "L", T0.AddSeconds(10)).Reports));
        Assert.IsType<BrokerCancelRejected>(Assert.Single(PaperBroker.Cancel(canceled, "NOPE", T0.AddSeconds(10)).Reports));
    }

    [Fact]
    public void A_non_finite_quote_is_refused_and_the_book_is_untouched()
    {
        var broker = Broker();
        Assert.Throws<ArgumentException>(() => PaperBroker.OnQuote(broker, Q(5, double.NaN, 1.0852)));
        Assert.Throws<ArgumentException>(() => PaperBroker.OnQuote(broker, Q(5, 1.0853, 1.0852)));
    }

    [Fact]
    public void The_broker_state_survives_a_snapshot_round_trip_and_keeps_matching_identically()
    {
        var (state, _) = Run(Broker(Options(partial: 0.5, seed: 3)), Request("E", qty: 20_000m, sl: 1.0800m, tp: 1.0900m));
        var back = System.Text.Json.JsonSerializer.Deserialize<PaperBrokerState>(System.Text.Json.JsonSerializer.Serialize(state))!;
        var quote = Q(5, 1.0850, 1.0852);
        Assert.Equal(PaperBroker.OnQuote(state, quote).Reports, PaperBroker.OnQuote(back, quote).Reports);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Empty(Options().Validate());
        Assert.NotEmpty((Options() with { Symbols = ImmutableArray<PaperSymbol>.Empty }).Validate());
        Assert.NotEmpty((Options() with { PartialFillProbability = 1.5 }).Validate());
        Assert.Throws<ArgumentException>(() => PaperBrokerState.Open(Options() with { Leverage = 0 }, 1m));
    }

    private static string Reject(PaperBrokerState state, BrokerOrderRequest request, DateTime at)
    {
        var (after, reports) = PaperBroker.Submit(state, request, at);
        Assert.Same(state, after);
        return Assert.IsType<BrokerOrderRejected>(Assert.Single(reports)).Reason;
    }
}
