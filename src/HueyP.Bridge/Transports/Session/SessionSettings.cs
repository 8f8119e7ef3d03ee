using HueyP.Actors;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports.Session;

/// <summary>What every stream session (socket or pipe) needs; shared by all sessions of one transport.</summary>
public sealed record SessionSettings(TransportKind Kind, IActorRef Router, BridgeCodec Codec, DedupWindow Dedup)
{
    public string ServerName { get; init; } = "hueyp";

    /// <summary>Heartbeat period; an inbound silence of 1.2 periods triggers a test request, and one more period without an answer closes.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An order (SIGNAL, TRADE, PARAM) written and nothing at all heard back for this long sends a test request at once,
    /// and that unanswered for as long again closes the link: a stalled link under trading traffic is left within two of
    /// these, not after heartbeats (<see cref="HeartbeatInterval"/> is sized for an idle EA). Zero: heartbeats only.
    /// </summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromMilliseconds(300);

    public double RateLimitPerSecond { get; init; } = 200;

    public double RateLimitBurst { get; init; } = 400;

    /// <summary>This node's role; on a standby, trading traffic is answered with STATUS STANDBY naming the active node. Null: always active.</summary>
    public Standby.BridgeRoleSource? Role { get; init; }
}
