using HueyP.Domain.Orders;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Orders;

internal static class OrderTestData
{
    public const string Id = "EMAX-EURUSD-20250401T1030-0001";
    public static readonly DateTime Bar = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    public static readonly DateTime T0 = Bar.AddMinutes(1);

    public static OrderIntent Intent(Side side = Side.Buy, decimal quantity = 10_000m, OrderType type = OrderType.Market,
        double? limit = null, double stopLoss = 1.0800, double takeProfit = 1.0900, double arrivalMid = 1.0850) =>
        new("EMAX", "EURUSD", side, quantity, type, Bar, T0, arrivalMid, limit, stopLoss, takeProfit, 0, "test");

    public static OrderInitialized Initialized(OrderType type = OrderType.Market, decimal quantity = 10_000m) =>
        new(Id, "EMAX", "EURUSD", Side.Buy, type, quantity, type == OrderType.Market ? null : 1.0850m,
            1.0800m, 1.0900m, Bar, T0, 1.0850m, T0);

    public static DateTime At(int seconds) => T0.AddSeconds(seconds);

    /// <summary>Drives a fresh order through accepted events into the requested status.</summary>
    public static OrderState InStatus(OrderStatus status, OrderType type = OrderType.Stop, decimal quantity = 10_000m)
    {
        var path = new List<IOrderEvent> { Initialized(type, quantity) };
        void Add(params IOrderEvent[] events) => path.AddRange(events);
        switch (status)
        {
            case OrderStatus.Initialized: break;
            case OrderStatus.Denied: Add(new OrderDenied(Id, "ORDER_SIZE_BLOCK", "too big", At(1))); break;
            case OrderStatus.Submitted: Add(new OrderSubmitted(Id, At(1))); break;
            case OrderStatus.Accepted: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2))); break;
            case OrderStatus.Rejected: Add(new OrderSubmitted(Id, At(1)), new OrderRejected(Id, "no margin", At(2))); break;
            case OrderStatus.Triggered: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2)), new OrderTriggered(Id, At(3))); break;
            case OrderStatus.PendingUpdate: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2)), new OrderUpdateRequested(Id, null, 1.0810m, null, At(3))); break;
            case OrderStatus.PendingCancel: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2)), new OrderCancelRequested(Id, At(3))); break;
            case OrderStatus.PartiallyFilled: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2)), new OrderFilled(Id, "F1", quantity / 2, 1.0851m, 0.5m, At(3))); break;
            case OrderStatus.Filled: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2)), new OrderFilled(Id, "F1", quantity, 1.0851m, 1m, At(3))); break;
            case OrderStatus.Canceled: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2)), new OrderCanceled(Id, "user", At(3))); break;
            case OrderStatus.Expired: Add(new OrderSubmitted(Id, At(1)), new OrderAccepted(Id, "B1", At(2)), new OrderExpired(Id, At(3))); break;
        }
        var state = OrderMachine.Replay(path);
        Assert.Equal(status, state.Status);
        return state;
    }

    /// <summary>An event that would move an order in <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static IOrderEvent EventToward(OrderState from, OrderStatus to)
    {
        var t = At(100);
        return to switch
        {
            OrderStatus.Denied => new OrderDenied(Id, "KILL_SWITCH_ACTIVE", "halt", t),
            OrderStatus.Submitted => new OrderSubmitted(Id, t),
            OrderStatus.Accepted when from.Status == OrderStatus.PendingCancel => new OrderCancelRejected(Id, "too late", t),
            OrderStatus.Accepted when from.Status == OrderStatus.PendingUpdate => new OrderUpdateResolved(Id, true, null, t),
            OrderStatus.Accepted => new OrderAccepted(Id, "B1", t),
            OrderStatus.Rejected => new OrderRejected(Id, "bad", t),
            OrderStatus.Triggered => new OrderTriggered(Id, t),
            OrderStatus.PendingUpdate => new OrderUpdateRequested(Id, null, 1.0805m, null, t),
            OrderStatus.PendingCancel => new OrderCancelRequested(Id, t),
            OrderStatus.Canceled => new OrderCanceled(Id, "user", t),
            OrderStatus.Expired => new OrderExpired(Id, t),
            OrderStatus.Filled => new OrderFilled(Id, "FX", from.RemainingQuantity > 0 ? from.RemainingQuantity : 1m, 1.0852m, 0m, t),
            OrderStatus.PartiallyFilled => new OrderFilled(Id, "FP", Math.Max(1m, Math.Floor(from.RemainingQuantity / 4)), 1.0852m, 0m, t),
            _ => new OrderTriggered(Id, t),
        };
    }
}
