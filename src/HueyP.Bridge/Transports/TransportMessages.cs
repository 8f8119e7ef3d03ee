using HueyP.Actors;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports;

/// <summary>Transports in priority order: the router prefers the lowest value that has a live link.</summary>
public enum TransportKind
{
    Socket = 0,
    Pipe = 1,
    Spool = 2,
}

// The contract between the router and every transport. A "link" is whatever actor can carry frames to the
// EA right now: a stream session for socket and pipe, the spool actor itself for the spool.

/// <summary>Router → link: write this message to the peer (the link stamps version and sequence number).</summary>
public sealed record SendToPeer(BridgeMessage Message);

/// <summary>Link → router: negotiated and ready to carry traffic.</summary>
public sealed record LinkUp(TransportKind Kind, IActorRef Link, ProtocolVersion Version, string Peer);

/// <summary>Link → router: gone, with the reason (peer closed, silent peer, write failure, transport stopped).</summary>
public sealed record LinkDown(TransportKind Kind, IActorRef Link, string Reason);

/// <summary>Link → router: a message from the EA that passed the inbound gate (new, valid, in time).</summary>
public sealed record PeerMessage(TransportKind Kind, IActorRef Link, BridgeMessage Message);

/// <summary>Link → router: round trip of the last answered test request.</summary>
public sealed record LinkLatency(TransportKind Kind, TimeSpan RoundTrip);

/// <summary>Link → router: an inbound frame was refused (answered with ERROR or closed).</summary>
public sealed record LinkRefused(TransportKind Kind, string Code, string Detail);

/// <summary>Link → router: an outbound message was not delivered on purpose (e.g. stale order not spooled).</summary>
public sealed record OutboundDropped(TransportKind Kind, string MessageId, string Reason);

/// <summary>Published on the EventStream whenever a message is dropped instead of delivered or executed: the recorded reason.</summary>
public sealed record MessageDropped(string MessageId, string Reason, TransportKind? Transport);

/// <summary>Published on the EventStream by stream transports once listening (port 0 resolves to the real port here).</summary>
public sealed record TransportListening(TransportKind Kind, string Endpoint);

/// <summary>Router → link: send a heartbeat test request carrying this nonce (loop-around verification, not an order).</summary>
public sealed record ProbeLink(string Nonce);

/// <summary>Link → router: the peer echoed a probe's nonce.</summary>
public sealed record LinkProbeAnswered(TransportKind Kind, IActorRef Link, string Nonce, TimeSpan RoundTrip);

/// <summary>Router → transport (and transport → its sessions): chaos, fail the way a real transport does.</summary>
public sealed record InjectFault(Router.TransportFault Fault, string Reason);
