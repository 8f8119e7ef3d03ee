namespace HueyP.Domain.Orders;

public enum OrderDecisionOutcome
{
    /// <summary>Persist <see cref="OrderDecision.Events"/>, then apply them.</summary>
    Accepted,
    /// <summary>Already applied (same fill id, same id minted): nothing to persist, nothing changes.</summary>
    Duplicate,
    /// <summary>Illegal or malformed: <see cref="OrderDecision.Events"/> holds only the rejected-transition fact.</summary>
    Rejected,
}

public sealed record OrderDecision(OrderDecisionOutcome Outcome, IReadOnlyList<IOrderEvent> Events, string? Error)
{
    public bool IsAccepted => Outcome == OrderDecisionOutcome.Accepted;

    public static OrderDecision Accept(IOrderEvent e) => new(OrderDecisionOutcome.Accepted, [e], null);

    public static OrderDecision Duplicate(string why) => new(OrderDecisionOutcome.Duplicate, [], why);

    public static OrderDecision Reject(string clientOrderId, OrderStatus? from, IOrderEvent attempted, string error) =>
        new(OrderDecisionOutcome.Rejected,
            [new OrderTransitionRejected(clientOrderId, from?.ToDisplay(), attempted.GetType().Name, error, attempted.TimeUtc)],
            error);
}
