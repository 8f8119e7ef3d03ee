using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.PreTrade;

public class PreTradeChecksTests
{
    private static readonly DateTime Now = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    private static readonly Quote Eur = new("EURUSD", Now, 1.0849, 1.0851);
    private static readonly PreTradeOptions Options = PreTradeOptions.Default with
    {
        MaxOrderUnits = 100_000m, MaxOrderNotional = 100_000m, PriceCollarPercent = 0.5m,
        MaxOrdersPerMinute = 3, MaxOrdersPerMinutePerSymbol = 2, MaxCancelsPerMinute = 2,
        MaxCancelsWithoutFill = 3, CancelLoopBlockBars = 2,
    };

    private static PreTradeOrder Order(int n = 1, decimal quantity = 10_000m, OrderType type = OrderType.Market,
        decimal? price = null, decimal arrivalMid = 1.0850m, string symbol = "EURUSD", int barOffset = 0) =>
        new($"EMAX-{symbol}-20250401T1030-{n:D4}", symbol, Side.Buy, type, quantity, price, arrivalMid, Now.AddMinutes(barOffset));

    private static PreTradeVerdict Check(PreTradeState state, PreTradeOrder order, DateTime? at = null, Quote? quote = null) =>
        PreTradeChecks.EvaluateOrder(state, Options, order, quote ?? Eur, at ?? Now);

    [Fact]
    public void A_normal_order_passes()
    {
        Assert.True(Check(PreTradeState.Empty, Order()).Passed);
    }

    [Theory]
    [InlineData(100_001, "units exceeds")]
    [InlineData(95_000, "notional")]
    public void Oversized_orders_are_blocked(decimal quantity, string detail)
    {
        var verdict = Check(PreTradeState.Empty, Order(quantity: quantity));
        Assert.Equal(PreTradeReasonCodes.OrderSizeBlock, verdict.ReasonCode);
        Assert.Contains(detail, verdict.Detail);
    }

    [Fact]
    public void Limit_prices_far_from_mid_hit_the_collar()
    {
        Assert.True(Check(PreTradeState.Empty, Order(type: OrderType.Limit, price: 1.0800m)).Passed);   // 0.46 %
        var verdict = Check(PreTradeState.Empty, Order(type: OrderType.Limit, price: 1.0790m));          // 0.55 %
        Assert.Equal(PreTradeReasonCodes.PriceCollarBlock, verdict.ReasonCode);
    }

    [Fact]
    public void A_market_order_decided_on_a_stale_mid_hits_the_collar()
    {
        var verdict = Check(PreTradeState.Empty, Order(arrivalMid: 1.0950m));
        Assert.Equal(PreTradeReasonCodes.PriceCollarBlock, verdict.ReasonCode);
    }

    [Fact]
    public void The_same_client_id_or_the_same_order_on_the_same_bar_is_suppressed()
    {
        var state = PreTradeState.Empty.RecordSubmission(Order(1), Now);
        Assert.Equal(PreTradeReasonCodes.DuplicateOrderBlock, Check(state, Order(1, quantity: 5_000m)).ReasonCode);
        Assert.Equal(PreTradeReasonCodes.DuplicateOrderBlock, Check(state, Order(2)).ReasonCode);
        Assert.True(Check(state, Order(2, barOffset: 1)).Passed);
    }

    [Fact]
    public void Orders_are_throttled_per_symbol_and_globally_in_a_sliding_minute()
    {
        var state = PreTradeState.Empty
            .RecordSubmission(Order(1, barOffset: 1), Now)
            .RecordSubmission(Order(2, barOffset: 2), Now.AddSeconds(10));

        var perSymbol = Check(state, Order(3, barOffset: 3), Now.AddSeconds(20));
        Assert.Equal(PreTradeReasonCodes.RateThrottleBlock, perSymbol.ReasonCode);
        Assert.Contains("EURUSD", perSymbol.Detail);

        var gbp = new Quote("GBPUSD", Now, 1.2999, 1.3001);
        state = state.RecordSubmission(Order(4, symbol: "GBPUSD", arrivalMid: 1.3m), Now.AddSeconds(15));
        var global = Check(state, Order(5, symbol: "GBPUSD", arrivalMid: 1.3m, barOffset: 5), Now.AddSeconds(20), gbp);
        Assert.Equal(PreTradeReasonCodes.RateThrottleBlock, global.ReasonCode);
        Assert.Contains("orders in the last minute, limit 3", global.Detail);

        // A minute after the first order the window has slid past it.
        Assert.True(Check(state, Order(6, symbol: "GBPUSD", arrivalMid: 1.3m, barOffset: 6), Now.AddSeconds(60), gbp).Passed);
    }

    // The window drops expired times from its front when they arrived in order, and by a full filter otherwise:
    // either way exactly the times inside the last minute stay, in arrival order, and the throttle counts those.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_sliding_minute_keeps_exactly_the_times_inside_it(bool inOrder)
    {
        var random = new Random(7);
        var state = PreTradeState.Empty;
        var sent = new List<DateTime>();
        var at = Now;
        for (var i = 1; i <= 300; i++)
        {
            at = at.AddSeconds(random.Next(0, 25));
            var now = inOrder || random.Next(4) > 0 ? at : at.AddSeconds(-random.Next(1, 90));
            state = state.RecordSubmission(Order(i % 9999 + 1, barOffset: i), now);
            sent.Add(now);
            var expected = sent.Where(t => t > now - PreTradeOptions.Window).ToList();
            Assert.Equal(expected, state.RecentOrders);
            Assert.Equal(expected, state.RecentOrdersBySymbol["EURUSD"]);
            sent = expected;
            var probe = now.AddSeconds(random.Next(0, 70));
            Assert.Equal(sent.Count(t => t > probe - PreTradeOptions.Window && t <= probe), PreTradeState.CountInWindow(state.RecentOrders, probe));
        }
    }

    [Fact]
    public void Cancels_are_throttled_in_a_sliding_minute()
    {
        var state = PreTradeState.Empty.RecordCancel("EURUSD", Now, Options).RecordCancel("EURUSD", Now.AddSeconds(30), Options);
        Assert.Equal(PreTradeReasonCodes.RateThrottleBlock, PreTradeChecks.EvaluateCancel(state, Options, Now.AddSeconds(40)).ReasonCode);
        Assert.True(PreTradeChecks.EvaluateCancel(state, Options, Now.AddSeconds(61)).Passed);
    }

    [Fact]
    public void Too_many_cancels_without_a_fill_block_the_symbol_for_N_bars()
    {
        var state = PreTradeState.Empty;
        for (var i = 0; i < 3; i++) state = state.RecordCancel("EURUSD", Now.AddMinutes(i), Options);
        var later = Now.AddMinutes(10);

        Assert.Equal(PreTradeReasonCodes.CancelLoopBlock, Check(state, Order(), later).ReasonCode);
        state = state.RecordBarClosed("EURUSD");
        Assert.Equal(PreTradeReasonCodes.CancelLoopBlock, Check(state, Order(), later).ReasonCode);
        state = state.RecordBarClosed("EURUSD");
        Assert.True(Check(state, Order(), later).Passed);
    }

    [Fact]
    public void A_fill_resets_the_cancel_loop_counter()
    {
        var state = PreTradeState.Empty
            .RecordCancel("EURUSD", Now, Options).RecordCancel("EURUSD", Now, Options)
            .RecordFill("EURUSD")
            .RecordCancel("EURUSD", Now, Options);
        Assert.True(Check(state, Order(), Now.AddMinutes(5)).Passed);
    }

    [Fact]
    public void The_kill_switch_blocks_every_new_order_but_not_cancels()
    {
        var state = PreTradeState.Empty.WithKillSwitch(new KillSwitch(true, CancelAll: true, "daily loss limit"));
        var verdict = Check(state, Order());
        Assert.Equal(PreTradeReasonCodes.KillSwitchActive, verdict.ReasonCode);
        Assert.Contains("daily loss limit", verdict.Detail);
        Assert.True(state.KillSwitch.CancelAll);
        var working = OrderBook.Empty
            .Apply(new OrderInitialized("EMAX-EURUSD-20250401T1030-0001", "EMAX", "EURUSD", Side.Buy, OrderType.Market, 1_000m,
                null, 1.08m, 1.09m, Now, Now, 1.085m, Now))
            .Apply(new OrderSubmitted("EMAX-EURUSD-20250401T1030-0001", Now));
        Assert.Equal(["EMAX-EURUSD-20250401T1030-0001"], state.KillSwitch.OrdersToCancel(working));
        Assert.Empty(PreTradeState.Empty.KillSwitch.OrdersToCancel(working));
        Assert.True(PreTradeChecks.EvaluateCancel(state, Options, Now).Passed);
    }

    [Fact]
    public void Bad_input_gets_a_clear_reason()
    {
        Assert.Equal(PreTradeReasonCodes.InvalidOrder, Check(PreTradeState.Empty, Order(quantity: -1m)).ReasonCode);
        Assert.Equal(PreTradeReasonCodes.InvalidOrder, Check(PreTradeState.Empty, Order(), quote: Eur with { Bid = double.NaN }).ReasonCode);
    }

    [Fact]
    public void The_state_survives_a_snapshot_round_trip()
    {
        var state = PreTradeState.Empty.RecordSubmission(Order(1), Now).RecordCancel("EURUSD", Now, Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<PreTradeState>(System.Text.Json.JsonSerializer.Serialize(state))!;
        Assert.Equal(PreTradeReasonCodes.DuplicateOrderBlock, Check(back, Order(1)).ReasonCode);
        Assert.Equal(1, back.SymbolState("EURUSD").CancelsWithoutFill);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Empty(PreTradeOptions.Default.Validate());
        var bad = PreTradeOptions.Default with { MaxOrderUnits = 0m, PriceCollarPercent = 0m, MaxOrdersPerMinutePerSymbol = 99 };
        Assert.Equal(3, bad.Validate().Count);
    }
}
