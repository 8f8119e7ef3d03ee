namespace HueyP.Domain.Faults;

/// <summary>What kind of failure an exception is; decided once, at the boundary, by <see cref="FaultClassifier"/>.</summary>
public enum FaultCategory
{
    TransientNetwork,
    RateLimit,
    Auth,
    BadData,
    ProviderSchema,
    OrderRejected,
    BrokerState,
    InvariantViolation,
    ProgrammingError,
    Unknown,
}

/// <summary>How far the damage reaches: one symbol, one provider (feed, broker, transport) or the whole node.</summary>
public enum FaultScope
{
    Symbol,
    Provider,
    Global,
}

/// <summary>What the engine does about it.</summary>
public enum FaultAction
{
    Retry,
    SkipSymbol,
    DisableProvider,
    HaltTrading,
}

/// <summary>
/// The answer to "what went wrong and what do we do": <see cref="Rule"/> names the table row that matched so the
/// classification can be explained in logs and in the CLI.
/// </summary>
public sealed record FaultClassification(FaultCategory Category, FaultScope Scope, FaultAction Action, string Rule)
{
    /// <summary>Faults that mean our own state can no longer be trusted: the mode ladder goes to SAFE_MODE.</summary>
    public bool RequiresSafeMode => Category is FaultCategory.InvariantViolation or FaultCategory.ProgrammingError;

    public override string ToString() => $"{Category}/{Scope}/{Action} ({Rule})";
}

/// <summary>
/// Thrown when a domain invariant (ledger balance, position netting, idempotency) is found broken. Never retried:
/// the classifier maps it to INVARIANT_VIOLATION, which freezes new orders until an operator clears SAFE_MODE.
/// </summary>
public sealed class InvariantViolationException(string invariant, string message)
    : Exception($"invariant '{invariant}' violated: {message}")
{
    public string Invariant { get; } = invariant;
}

/// <summary>The broker refused an order (bad price, market closed, not enough margin). The order's own fault.</summary>
public sealed class OrderRejectedException(string clientOrderId, string reason)
    : Exception($"order {clientOrderId} rejected: {reason}")
{
    public string ClientOrderId { get; } = clientOrderId;
    public string Reason { get; } = reason;
}

/// <summary>A provider answered with a payload whose shape we do not recognise (renamed field, new format).</summary>
public sealed class ProviderSchemaException(string provider, string message)
    : Exception($"provider {provider}: unexpected payload: {message}")
{
    public string Provider { get; } = provider;
}
