using System.Text.Json;
using HueyP.Domain.Orders;
using HueyP.Domain.Trading;
using static HueyP.Domain.Tests.Orders.OrderTestData;

namespace HueyP.Domain.Tests.Orders;

public class OrderLifecycleTests
{
    [Fact]
    public void Partial_fills_accumulate_with_a_quantity_weighted_average_and_fees()
    {
        var state = InStatus(OrderStatus.Accepted);
        state = OrderMachine.Apply(state, new OrderFilled(Id, "F1", 4_000m, 1.0850m, 0.4m, At(10)));
        Assert.Equal(OrderStatus.PartiallyFilled, state.Status);
        state = OrderMachine.Apply(state, new OrderFilled(Id, "F2", 6_000m, 1.0860m, 0.6m, At(11)));

        Assert.Equal(OrderStatus.Filled, state.Status);
        Assert.Equal(1.0856m, state.AverageFillPrice);
        Assert.Equal(1.0m, state.Fees);
        Assert.Equal(At(10), state.FirstFillAtUtc);
    }

    [Fact]
    public void A_repeated_fill_id_is_a_reported_no_op()
    {
        var state = OrderMachine.Apply(InStatus(OrderStatus.Accepted), new OrderFilled(Id, "F1", 4_000m, 1.0850m, 0m, At(10)));
        var decision = OrderMachine.Decide(state, new OrderFilled(Id, "F1", 4_000m, 1.0850m, 0m, At(10)));
        Assert.Equal(OrderDecisionOutcome.Duplicate, decision.Outcome);
        Assert.Empty(decision.Events);
        Assert.Same(state, OrderMachine.Apply(state, new OrderFilled(Id, "F1", 4_000m, 1.0850m, 0m, At(10))));
    }

    [Fact]
    public void Unknown_outcome_keeps_the_order_in_flight_and_holds_the_symbol_until_the_broker_answers()
    {
        var book = OrderBook.Empty;
        foreach (var e in new IOrderEvent[] { Initialized(), new OrderSubmitted(Id, At(1)), new OrderOutcomeUnknown(Id, "timeout after 5s", At(6)) })
            book = book.Handle(e).Book;

        Assert.Equal(OrderStatus.Submitted, book.Find(Id)!.Status);
        Assert.True(book.IsSymbolHeld("EURUSD"));
        Assert.False(book.IsSymbolHeld("GBPUSD"));

        book = book.Handle(new OrderAccepted(Id, "B77", At(30))).Book;
        Assert.False(book.IsSymbolHeld("EURUSD"));
        Assert.Equal("B77", book.Find(Id)!.BrokerOrderId);
    }

    [Fact]
    public void Unknown_outcome_cannot_be_claimed_for_an_order_that_was_never_sent()
    {
        var decision = OrderMachine.Decide(InStatus(OrderStatus.Initialized), new OrderOutcomeUnknown(Id, "timeout", At(5)));
        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
    }

    [Fact]
    public void Cancel_for_an_unknown_order_is_refused_and_recorded()
    {
        var (book, decision) = OrderBook.Empty.Handle(new OrderCancelRequested("EMAX-EURUSD-20250401T1030-0099", At(1)));
        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
        Assert.Contains("is unknown", decision.Error);
        Assert.IsType<OrderTransitionRejected>(Assert.Single(decision.Events));
        Assert.Empty(book.Orders);
    }

    [Fact]
    public void Fill_for_an_unknown_order_is_refused()
    {
        var decision = OrderBook.Empty.Decide(new OrderFilled("EMAX-EURUSD-20250401T1030-0042", "F1", 1m, 1.1m, 0m, At(1)));
        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
    }

    [Theory]
    [InlineData(OrderStatus.Filled)]
    [InlineData(OrderStatus.Rejected)]
    [InlineData(OrderStatus.Expired)]
    public void Fill_for_a_finished_order_is_refused_and_changes_nothing(OrderStatus finished)
    {
        var state = InStatus(finished);
        var decision = OrderMachine.Decide(state, new OrderFilled(Id, "F9", 1m, 1.0850m, 0m, At(20)));
        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
        Assert.Contains("is not allowed", decision.Error);
    }

    [Fact]
    public void Fill_exceeding_the_remaining_quantity_is_refused()
    {
        var state = InStatus(OrderStatus.PartiallyFilled);
        var decision = OrderMachine.Decide(state, new OrderFilled(Id, "F9", 5_001m, 1.0850m, 0m, At(20)));
        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
        Assert.Contains("exceeds the remaining 5000", decision.Error);
        Assert.Same(state, OrderMachine.Apply(state, decision.Events[0]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void Fill_with_a_non_positive_quantity_is_refused(int quantity)
    {
        var decision = OrderMachine.Decide(InStatus(OrderStatus.Accepted), new OrderFilled(Id, "F9", quantity, 1.0850m, 0m, At(20)));
        Assert.Contains("quantity must be positive", decision.Error);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.2)]
    public void Non_finite_or_negative_prices_never_become_money(double price)
    {
        Assert.False(PriceConversion.TryToDecimal(price, "fill price", out _, out var error));
        Assert.StartsWith("fill price must be", error);
        var decision = OrderMachine.Initialize(Intent(arrivalMid: price), Id, T0);
        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
    }

    [Fact]
    public void Price_conversion_strips_binary_noise()
    {
        Assert.Equal(1.0835m, PriceConversion.ToDecimal(1.0834999999999999, "p"));
        Assert.Equal(151.234m, PriceConversion.ToDecimal(151.234, "p"));
    }

    [Theory]
    [InlineData(Side.Buy, 1.0900, 1.0800)]   // stop above, target below: backwards
    [InlineData(Side.Sell, 1.0800, 1.0900)]
    [InlineData(Side.Buy, 0.0, 1.0900)]      // no stop-loss
    public void Every_order_needs_a_stop_loss_and_take_profit_on_the_right_sides(Side side, double stopLoss, double takeProfit)
    {
        var decision = OrderMachine.Initialize(Intent(side, stopLoss: stopLoss, takeProfit: takeProfit), Id, T0);
        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
    }

    [Fact]
    public void A_valid_intent_initializes_with_decimal_prices()
    {
        var decision = OrderMachine.Initialize(Intent(Side.Sell, stopLoss: 1.09, takeProfit: 1.08), Id, T0);
        var init = Assert.IsType<OrderInitialized>(Assert.Single(decision.Events));
        Assert.Equal(1.09m, init.StopLoss);
        Assert.Equal(1.085m, init.ArrivalMid);
    }

    [Fact]
    public void Confirmed_update_moves_the_stop_loss()
    {
        var state = OrderMachine.Apply(InStatus(OrderStatus.Accepted), new OrderUpdateRequested(Id, null, 1.0820m, null, At(10)));
        state = OrderMachine.Apply(state, new OrderUpdateResolved(Id, true, null, At(11)));
        Assert.Equal(1.0820m, state.StopLoss);
        Assert.Equal(OrderStatus.Accepted, state.Status);
    }

    [Fact]
    public void Order_events_and_state_round_trip_through_System_Text_Json()
    {
        var state = InStatus(OrderStatus.PartiallyFilled);
        var json = JsonSerializer.Serialize(state);
        var back = JsonSerializer.Deserialize<OrderState>(json)!;
        Assert.Equal(state.FillIds, back.FillIds);
        Assert.Equal(state with { FillIds = back.FillIds }, back);

        var fill = new OrderFilled(Id, "F1", 1m, 1.1m, 0m, At(1));
        Assert.Equal(fill, JsonSerializer.Deserialize<OrderFilled>(JsonSerializer.Serialize(fill)));
    }
}
