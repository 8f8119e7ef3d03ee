namespace HueyP.Domain.Orders;

public enum OrderStatus
{
    Initialized,
    Denied,
    Submitted,
    Accepted,
    Rejected,
    Canceled,
    Expired,
    Triggered,
    PendingUpdate,
    PendingCancel,
    PartiallyFilled,
    Filled,
}

public static class OrderStatusNames
{
    /// <summary>The SCREAMING_CASE name used in journals, errors and reports (PARTIALLY_FILLED).</summary>
    public static string ToDisplay(this OrderStatus status) => status switch
    {
        OrderStatus.PendingUpdate => "PENDING_UPDATE",
        OrderStatus.PendingCancel => "PENDING_CANCEL",
        OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        _ => status.ToString().ToUpperInvariant(),
    };

    /// <summary>
    /// Terminal for the purpose of "is this order still working". Canceled is terminal yet may still receive
    /// the one late fill that crossed the cancel, see <see cref="OrderTransitions"/>.
    /// </summary>
    public static bool IsTerminal(this OrderStatus status) =>
        status is OrderStatus.Denied or OrderStatus.Rejected or OrderStatus.Canceled
            or OrderStatus.Expired or OrderStatus.Filled;
}
