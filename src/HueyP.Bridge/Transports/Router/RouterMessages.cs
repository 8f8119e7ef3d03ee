using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports.Router;

/// <summary>Engine → router: deliver this to the EA (SIGNAL/TRADE are kept in the outbox until ACKed).</summary>
public sealed record RouteMessage(BridgeMessage Message);

/// <summary>Router → inbound target: a message from the EA (new, valid, de-duplicated).</summary>
public sealed record InboundMessage(TransportKind Transport, BridgeMessage Message);

/// <summary>Published on the EventStream when the route changes; To is null when no transport is healthy.</summary>
public sealed record RouteChanged(TransportKind? From, TransportKind? To, string Reason);

public sealed class GetRouterStatus
{
    public static readonly GetRouterStatus Instance = new();
    private GetRouterStatus() { }
}

public sealed record TransportHealth(
    TransportKind Kind,
    bool IsUp,
    TimeSpan? Latency,
    long Sent,
    long Received,
    long Drops,
    string? LastError);

public sealed record RouterStatus(TransportKind? Current, IReadOnlyList<TransportHealth> Transports, int PendingOutbox);
