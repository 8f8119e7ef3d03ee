using System.Net;
using System.Text;
using HueyP.Bridge.Transports.Pipe;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Socket;
using HueyP.Bridge.Transports.Spool;
using HueyP.Node.Configuration;

namespace HueyP.Node.Bridge;

/// <summary>Everything under hueyp.bridge (hocon/modules/bridge.conf), typed and validated when the configuration is loaded.</summary>
public sealed record BridgeModuleSettings(
    bool Enabled,
    string ServerName,
    byte[]? HmacKey,
    TimeSpan HeartbeatInterval,
    double RateLimitPerSecond,
    double RateLimitBurst,
    int DedupCapacity,
    string DedupFile,
    bool DedupFsync,
    bool OutboxJournal,
    TimeSpan OutboxCommitTimeout,
    TimeSpan RetransmitAfter,
    TimeSpan OrderTimeToLive,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff,
    int VerifyProbes,
    TimeSpan VerifyInterval,
    SocketTransportSettings? Socket,
    PipeTransportSettings? Pipe,
    SpoolTransportSettings? Spool)
{
    public const string Root = "hueyp.bridge";

    /// <summary>"paper": the engine's paper broker fills orders; "mt4": orders go to the EA as TRADEs (Mt4Broker/).</summary>
    /// <summary>An order unanswered this long sends a test request; as long again closes the link (0: heartbeats only).</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromMilliseconds(300);

    public string Broker { get; init; } = "paper";

    /// <summary>How often the MT4 broker re-hands unACKed TRADEs to the outbox and asks the EA about unfinished orders.</summary>
    public TimeSpan Mt4CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every cluster node's bridge address (node name → host:port): what a standby names as the active node's.</summary>
    public IReadOnlyDictionary<string, string> Peers { get; init; } = new Dictionary<string, string>();

    /// <summary>Engine units per MT4 lot (a TRADE's volume is in lots).</summary>
    public decimal Mt4LotSize { get; init; } = 100_000m;

    public static BridgeModuleSettings Read(SettingsReader read)
    {
        string K(string key) => $"{Root}.{key}";
        var key = read.String(K("hmac-key"), "");
        var host = read.String(K("socket.host"), "127.0.0.1");
        if (!IPAddress.TryParse(host, out var address))
        {
            read.Error(K("socket.host"), host, "must be an IP address such as 127.0.0.1");
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.IsLoopback(address))
        {
            read.Error(K("socket.host"), host, "the bridge listens on loopback only: the EA runs on this host, and nothing else may place orders");
        }
        var heartbeat = read.Duration(K("heartbeat-interval"), TimeSpan.FromSeconds(30));
        if (heartbeat < TimeSpan.FromMilliseconds(10)) read.Error(K("heartbeat-interval"), heartbeat.ToString(), "must be at least 10ms");
        var minBackoff = read.Duration(K("failover.min-backoff"), TimeSpan.FromMilliseconds(500));
        var maxBackoff = read.Duration(K("failover.max-backoff"), TimeSpan.FromSeconds(30));
        if (maxBackoff < minBackoff) read.Error(K("failover.max-backoff"), maxBackoff.ToString(), "must not be below failover.min-backoff");
        var verifyInterval = read.Duration(K("failover.verify-interval"), TimeSpan.FromMilliseconds(100));
        var retransmit = read.Duration(K("retransmit-after"), TimeSpan.FromSeconds(10));
        var ttl = read.Duration(K("order-time-to-live"), TimeSpan.FromSeconds(30));
        foreach (var (name, value) in new[] { ("failover.min-backoff", minBackoff), ("failover.verify-interval", verifyInterval), ("retransmit-after", retransmit), ("order-time-to-live", ttl) })
            if (value <= TimeSpan.Zero) read.Error(K(name), value.ToString(), "must be positive");

        var socket = read.Bool(K("socket.enabled"), true)
            ? new SocketTransportSettings { Address = address, Port = read.Int(K("socket.port"), 5555, 0, 65535), SendTimeout = read.Duration(K("socket.send-timeout"), TimeSpan.FromSeconds(5)) }
            : null;
        var pipeName = read.String(K("pipe.name"), "hueyp-bridge");
        if (pipeName.Length == 0) read.Error(K("pipe.name"), "\"\"", "must not be empty (turn the pipe off with pipe.enabled = off)");
        var pipe = read.Bool(K("pipe.enabled"), true) ? new PipeTransportSettings(pipeName) : null;
        var spool = read.Bool(K("spool.enabled"), true)
            ? new SpoolTransportSettings(read.String(K("spool.directory"), "run/spool")) { PollInterval = read.Duration(K("spool.poll-interval"), TimeSpan.FromMilliseconds(250)) }
            : null;
        var enabled = read.Bool(K("enabled"), false);
        if (enabled && socket is null && pipe is null && spool is null) read.Error(K("enabled"), "on", "the bridge needs at least one transport (socket, pipe or spool)");
        var broker = read.OneOf(K("broker"), "paper", "paper", "mt4");
        if (broker == "mt4" && !enabled) read.Error(K("broker"), "mt4", "the MT4 broker sends orders through the bridge: set hueyp.bridge.enabled = on, or use broker = paper");
        var peers = read.Map(K("peers"));
        foreach (var (node, peer) in peers)
            if (!System.Net.IPEndPoint.TryParse(peer, out var parsed) || parsed.Port == 0)
                read.Error(K($"peers.{node}"), peer, "must be the node's bridge socket as host:port, e.g. 127.0.0.1:5556");
        var answerTimeout = read.Duration(K("answer-timeout"), TimeSpan.FromMilliseconds(300));
        if (answerTimeout < TimeSpan.Zero) read.Error(K("answer-timeout"), answerTimeout.ToString(), "must not be negative (0 turns the check off)");
        var mt4Check = read.Duration(K("mt4.check-interval"), TimeSpan.FromSeconds(5));
        if (mt4Check <= TimeSpan.Zero) read.Error(K("mt4.check-interval"), mt4Check.ToString(), "must be positive");

        return new BridgeModuleSettings(
            enabled,
            read.String(K("server-name"), "hueyp"),
            key.Length == 0 ? null : Encoding.UTF8.GetBytes(key),
            heartbeat,
            read.Double(K("rate-limit.per-second"), 200, 0, 1_000_000, minExclusive: true),
            read.Double(K("rate-limit.burst"), 400, 1, 10_000_000),
            read.Int(K("dedup.capacity"), 10_000, 1, 10_000_000),
            read.String(K("dedup.file"), "run/bridge-dedup.ids"),
            read.Bool(K("dedup.fsync"), false),
            read.Bool(K("outbox.journal"), true),
            read.Duration(K("outbox.commit-timeout"), TimeSpan.FromSeconds(10)),
            retransmit,
            ttl,
            minBackoff,
            maxBackoff,
            read.Int(K("failover.verify-probes"), 3, 0, 1000),
            verifyInterval,
            socket,
            pipe,
            spool)
        {
            AnswerTimeout = answerTimeout,
            Broker = broker,
            Mt4CheckInterval = mt4Check,
            Peers = peers,
            Mt4LotSize = (decimal)read.Double(K("mt4.lot-size"), 100_000, 0, 1e12, minExclusive: true),
        };
    }

    /// <summary>The tuning the router takes from these settings (its transports and outbox are filled in by BridgeSetup).</summary>
    public RouterSettings RouterTuning(IOutbox outbox) => new([], outbox)
    {
        MinBackoff = MinBackoff,
        MaxBackoff = MaxBackoff,
        RetransmitAfter = RetransmitAfter,
        VerifyProbes = VerifyProbes,
        VerifyInterval = VerifyInterval,
    };
}
