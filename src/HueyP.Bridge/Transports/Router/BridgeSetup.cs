using HueyP.Actors;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Pipe;
using HueyP.Bridge.Transports.Session;
using HueyP.Bridge.Transports.Socket;
using HueyP.Bridge.Transports.Spool;

namespace HueyP.Bridge.Transports.Router;

/// <summary>Configuration of the whole bridge; a null transport setting leaves that transport out.</summary>
public sealed record BridgeOptions
{
    public SocketTransportSettings? Socket { get; init; } = new();

    public PipeTransportSettings? Pipe { get; init; }

    public SpoolTransportSettings? Spool { get; init; }

    /// <summary>Shared v1.2 HMAC key (from configuration); null means only v1.0 is offered.</summary>
    public byte[]? HmacKey { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>See <see cref="SessionSettings.AnswerTimeout"/>.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromMilliseconds(300);

    public double RateLimitPerSecond { get; init; } = 200;

    public double RateLimitBurst { get; init; } = 400;

    public int DedupCapacity { get; init; } = 10_000;

    /// <summary>Where the inbound dedup window is persisted (null: memory only).</summary>
    public IDedupStore? DedupStore { get; init; }

    public IOutbox Outbox { get; init; } = new InMemoryOutbox();

    public string ServerName { get; init; } = "hueyp";

    /// <summary>Whether this node trades (a cluster standby refuses trading traffic and names the active node); null: always.</summary>
    public Standby.BridgeRoleSource? Role { get; init; }
}

public static class BridgeSetup
{
    /// <summary>Props of the router with every configured transport, in priority order.</summary>
    public static Props RouterProps(BridgeOptions options, IActorRef? inbound, RouterSettings? tuning = null)
    {
        var codec = new BridgeCodec(new CodecOptions { HmacKey = options.HmacKey });
        var dedup = new DedupWindow(options.DedupCapacity, options.DedupStore);
        SessionSettings Session(TransportKind kind, IActorRef router) => new(kind, router, codec, dedup)
        {
            ServerName = options.ServerName,
            HeartbeatInterval = options.HeartbeatInterval,
            AnswerTimeout = options.AnswerTimeout,
            RateLimitPerSecond = options.RateLimitPerSecond,
            RateLimitBurst = options.RateLimitBurst,
            Role = options.Role,
        };
        var specs = new List<TransportSpec>();
        if (options.Socket is { } socket)
            specs.Add(new(TransportKind.Socket, router => SocketTransportActor.Props(socket, Session(TransportKind.Socket, router))));
        if (options.Pipe is { } pipe)
            specs.Add(new(TransportKind.Pipe, router => PipeTransportActor.Props(pipe, Session(TransportKind.Pipe, router))));
        if (options.Spool is { } spool)
            specs.Add(new(TransportKind.Spool, router => SpoolTransportActor.Props(spool with { Role = spool.Role ?? options.Role, ServerName = options.ServerName }, router, codec, dedup)));
        var settings = (tuning ?? new RouterSettings(specs, options.Outbox)) with { Transports = specs, Outbox = options.Outbox, Inbound = inbound };
        return RouterActor.Props(settings);
    }
}
