using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports.Standby;

/// <summary>
/// Whether this node trades. A standby (a cluster member that does not hold the lease) refuses trading traffic and
/// names the active node, so the EA can follow it. <see cref="ActiveEndpoint"/> is the active node's bridge address
/// (host:port of its socket), null when not known (no active node right now, or not configured).
/// </summary>
public sealed record BridgeRole(bool Active, string? ActiveNode = null, string? ActiveEndpoint = null)
{
    public static readonly BridgeRole Trading = new(true);

    public string Describe() => Active ? "active"
        : $"standby; the active node is {ActiveNode ?? "unknown"}{(ActiveEndpoint is { } at ? $" at {at}" : "")}";
}

/// <summary>
/// The node's current <see cref="BridgeRole"/>, read by every session on every inbound frame (a volatile read), set by
/// whatever knows the role (the node's cluster member, a test). A node outside a cluster is always active.
/// </summary>
public sealed class BridgeRoleSource
{
    private volatile BridgeRole _current;

    public BridgeRoleSource(BridgeRole? initial = null) => _current = initial ?? BridgeRole.Trading;

    public BridgeRole Current => _current;

    public void Set(BridgeRole role) => _current = role;

    /// <summary>What the EA sends that only the active node may act on: quotes for its engine, orders, execution reports.</summary>
    public static bool IsTradingTraffic(MessageType type) =>
        type is MessageType.Tick or MessageType.Signal or MessageType.Trade or MessageType.ExecutionReport;

    /// <summary>The STATUS_RESPONSE a standby answers trading traffic (and a hello) with.</summary>
    public static StatusResponsePayload StandbyStatus(BridgeRole role, string? negotiatedVersion = null) => new(StatusResponseStatus.Standby)
    {
        NegotiatedVersion = negotiatedVersion,
        Detail = $"this node is a standby and does not trade; {(role.ActiveEndpoint is null ? "the active node is not known yet: retry later" : $"connect to the active node {role.ActiveNode} at {role.ActiveEndpoint}")}",
        ActiveNode = role.ActiveNode,
        ActiveEndpoint = role.ActiveEndpoint,
    };
}
