using HueyP.Domain.Orders;
using static HueyP.Domain.Tests.Orders.OrderTestData;

namespace HueyP.Domain.Tests.Orders;

public class OrderTransitionTests
{
    public static TheoryData<OrderStatus, OrderStatus> AllowedPairs()
    {
        var data = new TheoryData<OrderStatus, OrderStatus>();
        foreach (var (from, to) in OrderTransitions.All()) data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllowedPairs))]
    public void Every_allowed_transition_is_accepted_and_lands_in_the_target_status(OrderStatus from, OrderStatus to)
    {
        var state = from == OrderStatus.PendingCancel && to == OrderStatus.PartiallyFilled
            ? OrderMachine.Apply(InStatus(OrderStatus.PartiallyFilled), new OrderCancelRequested(Id, At(50)))
            : InStatus(from);
        var proposed = from == OrderStatus.PendingCancel && to == OrderStatus.PartiallyFilled
            ? new OrderCancelRejected(Id, "too late", At(60))
            : from == OrderStatus.PendingCancel && to == OrderStatus.PendingCancel
                ? new OrderFilled(Id, "FCROSS", 1_000m, 1.0852m, 0m, At(60))
                : EventToward(state, to);

        var decision = OrderMachine.Decide(state, proposed);

        Assert.True(decision.IsAccepted, decision.Error);
        Assert.Equal(to, OrderMachine.Apply(state, proposed).Status);
    }

    [Theory]
    [InlineData(OrderStatus.Filled, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Filled, OrderStatus.Canceled)]
    [InlineData(OrderStatus.Filled, OrderStatus.PendingCancel)]
    [InlineData(OrderStatus.Rejected, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Denied, OrderStatus.Submitted)]
    [InlineData(OrderStatus.Initialized, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Initialized, OrderStatus.Filled)]
    [InlineData(OrderStatus.Expired, OrderStatus.Filled)]
    [InlineData(OrderStatus.Submitted, OrderStatus.Triggered)]
    [InlineData(OrderStatus.Submitted, OrderStatus.Expired)]
    [InlineData(OrderStatus.Accepted, OrderStatus.Submitted)]
    [InlineData(OrderStatus.PartiallyFilled, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Canceled, OrderStatus.Accepted)]
    [InlineData(OrderStatus.Canceled, OrderStatus.PendingCancel)]
    public void Forbidden_transitions_are_refused_recorded_and_leave_the_order_untouched(OrderStatus from, OrderStatus to)
    {
        Assert.False(OrderTransitions.IsAllowed(from, to));
        var state = InStatus(from);
        var proposed = EventToward(state, to);

        var decision = OrderMachine.Decide(state, proposed);

        Assert.Equal(OrderDecisionOutcome.Rejected, decision.Outcome);
        Assert.Contains($"order {Id}: {from.ToDisplay()} → {to.ToDisplay()} is not allowed", decision.Error);
        var fact = Assert.IsType<OrderTransitionRejected>(Assert.Single(decision.Events));
        Assert.Equal(from.ToDisplay(), fact.FromStatus);
        Assert.Same(state, OrderMachine.Apply(state, fact));
        Assert.Throws<InvalidOperationException>(() => OrderMachine.Apply(state, proposed));
    }

    [Fact]
    public void Filled_to_accepted_reads_as_the_documented_message()
    {
        var decision = OrderMachine.Decide(InStatus(OrderStatus.Filled), new OrderAccepted(Id, "B1", At(9)));
        Assert.Equal($"order {Id}: FILLED → ACCEPTED is not allowed", decision.Error);
    }

    [Fact]
    public void A_fill_that_crossed_the_cancel_still_counts_and_completes_the_order()
    {
        var canceled = InStatus(OrderStatus.Canceled);
        var lateFill = new OrderFilled(Id, "F-LATE", 10_000m, 1.0853m, 0.7m, At(10));
        var filled = OrderMachine.Apply(canceled, lateFill);

        Assert.Equal(OrderStatus.Filled, filled.Status);
        Assert.Equal(10_000m, filled.FilledQuantity);
        Assert.Equal(1.0853m, filled.AverageFillPrice);
    }

    [Fact]
    public void A_partial_fill_that_crossed_the_cancel_is_kept_and_the_order_stays_canceled()
    {
        var canceled = InStatus(OrderStatus.Canceled);
        var after = OrderMachine.Apply(canceled, new OrderFilled(Id, "F-LATE", 4_000m, 1.0853m, 0m, At(10)));
        Assert.Equal(OrderStatus.Canceled, after.Status);
        Assert.Equal(4_000m, after.FilledQuantity);
    }

    [Fact]
    public void A_refused_cancel_returns_the_order_to_working()
    {
        var pending = InStatus(OrderStatus.PendingCancel);
        var after = OrderMachine.Apply(pending, new OrderCancelRejected(Id, "already filled?", At(10)));
        Assert.Equal(OrderStatus.Accepted, after.Status);
    }

    [Fact]
    public void A_confirmed_update_returns_a_triggered_order_to_triggered()
    {
        var triggered = InStatus(OrderStatus.Triggered);
        var pending = OrderMachine.Apply(triggered, new OrderUpdateRequested(Id, null, 1.0805m, null, At(10)));
        Assert.Equal(OrderStatus.PendingUpdate, pending.Status);
        Assert.Equal(OrderStatus.Triggered, OrderMachine.Apply(pending, new OrderUpdateResolved(Id, true, null, At(11))).Status);
    }
}
