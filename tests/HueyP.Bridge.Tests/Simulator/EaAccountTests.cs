using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;

namespace HueyP.Bridge.Tests.Simulator;

/// <summary>The EA's paper account as the broker side: stops held per position, pending orders filled by quotes. Quotes are driven one by one.</summary>
public sealed class EaAccountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);
    private readonly MessageFactory _engine = new("hueyp", Samples.Clock());
    private readonly EaAccount _account = new() { CommissionPerVolume = 7 };

    private BridgeMessage Order(string id, OrderSide side, string type = "MARKET", double? price = null, double? stopLoss = null, double? takeProfit = null, double volume = 0.1) =>
        _engine.Create(MessageType.Trade, new OrderPayload(id, "EURUSD", side, volume, T0.AddMinutes(1))
        {
            OrderType = type, Price = price, StopLoss = stopLoss, TakeProfit = takeProfit,
        });

    private IReadOnlyList<ExecutionReportPayload> Quote(double bid, double ask, int second = 1, string symbol = "EURUSD") =>
        _account.OnQuote(symbol, bid, ask, T0.AddSeconds(second));

    [Fact]
    public void A_long_position_is_closed_at_the_bid_when_the_bid_falls_to_its_stop_loss()
    {
        Quote(1.0850, 1.0852);
        var order = Order("long-1", OrderSide.Buy, stopLoss: 1.0820, takeProfit: 1.0900);
        var opened = _account.Execute(order, T0);
        Assert.Equal(1.0852, opened[^1].Price);
        var ticket = opened[0].BrokerOrderId!;

        Assert.Empty(Quote(1.0821, 1.0823, 2)); // above the stop (the ask below it does not count for a long)
        var closed = Assert.Single(Quote(1.0819, 1.0821, 3));

        Assert.Equal(ExecutionStatus.Filled, closed.Status);
        Assert.Equal(ExecutionTrigger.StopLoss, closed.Trigger);
        Assert.Equal("long-1", closed.OrderId);
        Assert.Equal(order.MessageId, closed.RefMessageId);
        Assert.Equal(ticket, closed.BrokerOrderId);
        Assert.Equal($"{ticket}-SL", closed.FillId);
        Assert.Equal("SELL", closed.Side);
        Assert.Equal(1.0819, closed.Price);
        Assert.Equal(0.1, closed.Quantity);
        Assert.Equal(0.7, closed.Commission!.Value, 9);
        Assert.Equal(T0.AddSeconds(3), closed.Time);
        Assert.Contains("stop-loss 1.082", closed.Reason);
        Assert.Empty(_account.Positions);
        Assert.Empty(Quote(1.0700, 1.0702, 4)); // closed once
    }

    [Fact]
    public void A_short_position_is_closed_at_the_ask_when_the_ask_falls_to_its_take_profit()
    {
        Quote(1.0850, 1.0852);
        _account.Execute(Order("short-1", OrderSide.Sell, stopLoss: 1.0900, takeProfit: 1.0800), T0);

        Assert.Empty(Quote(1.0799, 1.0801, 2)); // the bid below the target does not close a short
        var closed = Assert.Single(Quote(1.0798, 1.0800, 3));

        Assert.Equal(ExecutionTrigger.TakeProfit, closed.Trigger);
        Assert.Equal("BUY", closed.Side);
        Assert.Equal(1.0800, closed.Price);
        Assert.EndsWith("-TP", closed.FillId);
    }

    [Fact]
    public void A_short_stop_loss_closes_at_the_ask_and_a_long_take_profit_at_the_bid()
    {
        Quote(1.0850, 1.0852);
        _account.Execute(Order("short-sl", OrderSide.Sell, stopLoss: 1.0870), T0);
        _account.Execute(Order("long-tp", OrderSide.Buy, takeProfit: 1.0870), T0);

        var closed = Quote(1.0870, 1.0872, 2);

        Assert.Equal(new[] { "short-sl", "long-tp" }, closed.Select(r => r.OrderId));
        Assert.Equal(new[] { ExecutionTrigger.StopLoss, ExecutionTrigger.TakeProfit }, closed.Select(r => r.Trigger!));
        Assert.Equal(new[] { 1.0872, 1.0870 }, closed.Select(r => r.Price!.Value));
    }

    [Fact]
    public void Stops_are_watched_only_for_their_own_symbol_and_a_position_without_stops_stays_open()
    {
        Quote(1.0850, 1.0852);
        _account.Execute(Order("protected", OrderSide.Buy, stopLoss: 1.0820), T0);
        _account.Execute(Order("naked", OrderSide.Buy), T0);

        Assert.Empty(Quote(1.0000, 1.0002, 2, symbol: "GBPUSD"));
        Assert.Single(Quote(1.0800, 1.0802, 3));

        var open = Assert.Single(_account.Positions);
        Assert.Equal("naked", open.OrderId);
        Assert.Null(open.StopLoss);
    }

    [Fact]
    public void A_buy_limit_waits_until_the_ask_reaches_its_price_then_fills_and_is_protected_from_the_next_quote_on()
    {
        Quote(1.0850, 1.0852);
        var placed = Assert.Single(_account.Execute(Order("bl-1", OrderSide.Buy, "LIMIT", price: 1.0830, stopLoss: 1.0829), T0));
        Assert.Equal(ExecutionStatus.Accepted, placed.Status);
        Assert.Equal("LIMIT", Assert.Single(_account.PendingOrders).OrderType);

        Assert.Empty(Quote(1.0829, 1.0831, 2)); // bid at the stop, but the ask is still above the limit
        var filled = Assert.Single(Quote(1.0827, 1.0829, 3)); // fills at the ask; its stop (bid 1.0827 < 1.0829) waits for the next quote

        Assert.Equal(ExecutionStatus.Filled, filled.Status);
        Assert.Null(filled.Trigger);
        Assert.Equal(1.0829, filled.Price);
        Assert.Equal($"{placed.BrokerOrderId}-1", filled.FillId);
        Assert.Equal(0, filled.Remaining);
        Assert.Empty(_account.PendingOrders);
        Assert.Equal(1.0829, Assert.Single(_account.Positions).OpenPrice);

        var stopped = Assert.Single(Quote(1.0827, 1.0829, 4));
        Assert.Equal(ExecutionTrigger.StopLoss, stopped.Trigger);
    }

    [Theory]
    [InlineData(OrderSide.Sell, "LIMIT", 1.0870, 1.0869, 1.0871, 1.0870, 1.0872, 1.0870)]
    [InlineData(OrderSide.Buy, "STOP", 1.0870, 1.0867, 1.0869, 1.0868, 1.0870, 1.0870)]
    [InlineData(OrderSide.Sell, "STOP", 1.0830, 1.0831, 1.0833, 1.0830, 1.0832, 1.0830)]
    public void Pending_orders_fill_on_the_side_of_the_quote_they_trade_at(OrderSide side, string type, double price,
        double bidBefore, double askBefore, double bidAt, double askAt, double fillPrice)
    {
        Quote(1.0850, 1.0852);
        _account.Execute(Order("p-1", side, type, price: price), T0);

        Assert.Empty(Quote(bidBefore, askBefore, 2));
        var filled = Assert.Single(Quote(bidAt, askAt, 3));

        Assert.Equal(fillPrice, filled.Price);
        Assert.Equal(side == OrderSide.Buy ? "BUY" : "SELL", Assert.Single(_account.Positions).Side);
    }

    [Fact]
    public void A_status_request_gets_every_report_of_the_order_again_including_the_stop_close()
    {
        Quote(1.0850, 1.0852);
        _account.Execute(Order("bs-1", OrderSide.Buy, "STOP", price: 1.0860, takeProfit: 1.0880), T0);
        Quote(1.0859, 1.0861, 2);
        Quote(1.0881, 1.0883, 3);

        var reports = _account.Status(["bs-1"], T0.AddSeconds(9));

        Assert.Equal(new[] { ExecutionStatus.Accepted, ExecutionStatus.Filled, ExecutionStatus.Filled }, reports.Select(r => r.Status));
        Assert.Equal(ExecutionTrigger.TakeProfit, reports[^1].Trigger);
        Assert.Equal(reports, _account.Find("bs-1")!.Reports);
    }

    [Fact]
    public void The_same_order_again_changes_nothing()
    {
        Quote(1.0850, 1.0852);
        var order = Order("bl-2", OrderSide.Buy, "LIMIT", price: 1.0830);
        var first = _account.Execute(order, T0);

        var again = _account.Execute(order, T0.AddSeconds(5));

        Assert.Equal(first, again);
        Assert.Single(_account.PendingOrders);
        Assert.Single(Quote(1.0820, 1.0822, 2));
        Assert.Single(_account.Positions);
    }

    [Theory]
    [InlineData("LIMIT", null, "needs a price")]
    [InlineData("STOP", 0.0, "needs a price")]
    [InlineData("CLOSE", null, "not executed by this simulator")]
    public void Orders_it_cannot_execute_are_rejected_with_the_reason(string type, double? price, string reason)
    {
        Quote(1.0850, 1.0852);

        var report = Assert.Single(_account.Execute(Order("bad-1", OrderSide.Buy, type, price: price), T0));

        Assert.Equal(ExecutionStatus.Rejected, report.Status);
        Assert.Contains(reason, report.Reason);
        Assert.Empty(_account.PendingOrders);
        Assert.Empty(Quote(1.0700, 1.0702, 2));
    }

    [Fact]
    public void A_market_order_without_a_price_for_its_symbol_is_rejected()
    {
        var report = Assert.Single(_account.Execute(Order("m-1", OrderSide.Buy), T0));

        Assert.Equal(ExecutionStatus.Rejected, report.Status);
        Assert.Contains("no price for EURUSD", report.Reason);
    }
}
