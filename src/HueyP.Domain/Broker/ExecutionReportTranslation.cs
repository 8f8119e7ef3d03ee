using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;

namespace HueyP.Domain.Broker;

/// <summary>
/// How broker execution reports become journal facts: every fill is booked in the ledger (protective children
/// included, they move the position); entry-order reports also drive the order's state machine. Children are
/// broker-side, so their own acceptance and cancellation have no order entity to update.
/// </summary>
public static class ExecutionReportTranslation
{
    public static IOrderEvent? ToOrderEvent(IExecutionReport report) => report switch
    {
        BrokerOrderAccepted a => new OrderAccepted(a.ClientOrderId, a.BrokerOrderId, a.TimeUtc),
        BrokerOrderRejected r => new OrderRejected(r.ClientOrderId, r.Reason, r.TimeUtc),
        BrokerOrderFilled { Role: BrokerOrderRole.Entry } f => new OrderFilled(f.ClientOrderId, f.FillId, f.Quantity, f.Price, f.Fee, f.TimeUtc),
        BrokerOrderCanceled c when !IsChild(c.ClientOrderId) => new OrderCanceled(c.ClientOrderId, c.Reason, c.TimeUtc),
        BrokerCancelRejected c when !IsChild(c.ClientOrderId) => new OrderCancelRejected(c.ClientOrderId, c.Reason, c.TimeUtc),
        _ => null,
    };

    public static ILedgerEvent? ToLedgerEvent(IExecutionReport report) => report is BrokerOrderFilled f
        ? new FillBooked(f.FillId, f.ClientOrderId, f.Symbol, f.Side, f.Quantity, f.Price, f.Fee, f.TimeUtc)
        : null;

    private static bool IsChild(string clientOrderId) =>
        clientOrderId.EndsWith("-SL", StringComparison.Ordinal) || clientOrderId.EndsWith("-TP", StringComparison.Ordinal);
}
