using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports.Router;

/// <summary>Engine → router: deliver this to the EA (SIGNAL/TRADE are kept in the outbox until ACKed).</summary>
public sealed record RouteMessage(BridgeMessage Message);

/// <summary>Router → inbound target: a message from the EA (new, valid, de-duplicated).</summary>
public sealed record InboundMessage(TransportKind Transport, BridgeMessage Message);

/// <summary>Published on the EventStream when the route changes; To is null when no transport is healthy.</summary>
public sealed record RouteChanged(TransportKind? From, TransportKind? To, string Reason);

/// <summary>
/// Published on the EventStream when a link better than the current route has answered enough loop-around probes
/// (heartbeat test requests, never real orders) to be trusted again; the RouteChanged back to it follows.
/// </summary>
public sealed record LinkVerified(TransportKind Kind, int ProbesAnswered, TimeSpan LastRoundTrip);

/// <summary>Published on the EventStream when the durable outbox could not journal an order (it is still delivered from memory).</summary>
public sealed record OutboxWriteFailed(string MessageId, string Reason);

/// <summary>Chaos (`hueyp transports fail NAME`): make a running transport fail the way real ones do.</summary>
public enum TransportFault
{
    /// <summary>The transport crashes: its listener and connections close; its BackoffSupervisor restarts it.</summary>
    Close,
    /// <summary>Connections stay open but nothing flows either way: found only by the unanswered test request.</summary>
    Stall,
    /// <summary>Outbound frames are corrupted on the wire: the EA refuses them with ERROR replies, which close the link.</summary>
    Corrupt,
}

/// <summary>Ask the router to inject a fault into one transport; answered with <see cref="FailTransportResult"/>.</summary>
public sealed record FailTransport(TransportKind Kind, TransportFault Fault, string Reason);

public sealed record FailTransportResult(bool Accepted, string Detail);

/// <summary>
/// Operator control (`hueyp transports force NAME|auto`): pin traffic to one transport, which must have a live link now
/// (it needs no loop-around verification: the operator vouches for it), or with <see cref="Kind"/> null return to the
/// automatic choice. While the pinned transport is down the router chooses automatically and returns to the pin when
/// its link is back. Answered with <see cref="ForceTransportResult"/>; the route change is published as usual.
/// </summary>
public sealed record ForceTransport(TransportKind? Kind, string Reason);

public sealed record ForceTransportResult(bool Accepted, string Detail);

public sealed class GetRouterStatus
{
    public static readonly GetRouterStatus Instance = new();
    private GetRouterStatus() { }
}

/// <param name="IsUp">Has a live link.</param>
/// <param name="Verified">The link may carry traffic (false while a repaired better link answers its probes).</param>
public sealed record TransportHealth(
    TransportKind Kind,
    bool IsUp,
    TimeSpan? Latency,
    long Sent,
    long Received,
    long Drops,
    string? LastError)
{
    public bool Verified { get; init; }

    public string? Peer { get; init; }

    public int Failures { get; init; }
}

public sealed record RouterStatus(TransportKind? Current, IReadOnlyList<TransportHealth> Transports, int PendingOutbox)
{
    public DateTimeOffset? OldestPendingAt { get; init; }

    /// <summary>The transport an operator pinned traffic to (null: automatic), and why.</summary>
    public TransportKind? Forced { get; init; }

    public string? ForcedReason { get; init; }
}
