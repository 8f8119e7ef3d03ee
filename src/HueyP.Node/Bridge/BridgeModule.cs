using System.Collections.Concurrent;
using HueyP.Actors;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Outbox;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Standby;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;
using HueyP.Node.Modules;

namespace HueyP.Node.Bridge;

public sealed class BridgeModuleFactory : INodeModuleFactory
{
    public INodeModule Create(SettingsReader read) => new BridgeModule(BridgeModuleSettings.Read(read));
}

/// <summary>
/// The MT4 bridge hosted by the node: the failover router at /user/bridge with the socket, pipe and spool transports
/// under it (each under a BackoffSupervisor: /user/bridge/socket/socket-transport ...), inbound traffic through
/// /user/bridge-inbound into the engine, and the durable outbox on the node's journal. The engine's order side sends
/// SIGNAL/TRADE through <see cref="Send"/>. On a cluster candidate the outbox is suspended until this node's trading
/// term begins, then recovered from the journal by <see cref="BridgeRoleFeedActor"/>.
/// </summary>
public sealed class BridgeModule(BridgeModuleSettings settings) : INodeModule
{
    public const string RouterPath = "/user/bridge";

    /// <summary>The engine's broker; with hueyp.bridge.broker = mt4 it is the <see cref="Mt4Broker.Mt4BrokerActor"/>.</summary>
    public const string Mt4BrokerPath = "/user/engine/broker";

    private readonly ConcurrentDictionary<TransportKind, string> _endpoints = new();
    private ActorSystem? _system;
    private IOutbox? _outbox;
    private FileDedupStore? _dedupStore;
    private MessageFactory? _factory;

    public string Name => "bridge";

    public bool Enabled => settings.Enabled;

    public BridgeModuleSettings Settings => settings;

    /// <summary>/user/bridge once started.</summary>
    public IActorRef Router { get; private set; } = ActorRefs.Nobody;

    public IActorRef Inbound { get; private set; } = ActorRefs.Nobody;

    /// <summary>
    /// Whether this node trades: always on a standalone node; on a cluster candidate fed from /user/cluster. A standby's
    /// bridge answers trading traffic with STATUS STANDBY naming the active node (docs/protocol.md §10.5).
    /// </summary>
    public BridgeRoleSource Role { get; } = new();

    private IActorRef? _roleFeed;

    public IOutbox Outbox => _outbox ?? throw new InvalidOperationException("the bridge has not started");

    /// <summary>Where each transport listens (the real port when configured as 0).</summary>
    public IReadOnlyDictionary<TransportKind, string> Endpoints => _endpoints;

    public async Task StartAsync(NodeRuntime node, CancellationToken ct)
    {
        _system = node.System;
        _factory = new MessageFactory(settings.ServerName, node.Clock);
        var candidate = node.Settings.Node.Role == "candidate";
        _outbox = settings.OutboxJournal && node.Journal is { } journal
            // A candidate's outbox stream belongs to whichever node trades: it is read when this node's term begins.
            ? candidate
                ? JournalOutbox.OpenSuspended(journal, JournalOutbox.DefaultPersistenceId, node.Clock, settings.OutboxCommitTimeout)
                : await JournalOutbox.OpenAsync(journal, JournalOutbox.DefaultPersistenceId, node.Clock, settings.OutboxCommitTimeout, ct)
            : new InMemoryOutbox();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.DedupFile))!);
        _dedupStore = new FileDedupStore(settings.DedupFile, durable: settings.DedupFsync);
        var options = new BridgeOptions
        {
            Socket = settings.Socket,
            Pipe = settings.Pipe,
            Spool = settings.Spool,
            HmacKey = settings.HmacKey,
            HeartbeatInterval = settings.HeartbeatInterval,
            AnswerTimeout = settings.AnswerTimeout,
            RateLimitPerSecond = settings.RateLimitPerSecond,
            RateLimitBurst = settings.RateLimitBurst,
            DedupCapacity = settings.DedupCapacity,
            DedupStore = _dedupStore,
            Outbox = _outbox,
            ServerName = settings.ServerName,
            Role = Role,
        };
        Inbound = BridgeInboundActor.Start(node.System, () => node.Engine, (kind, endpoint) => _endpoints[kind] = endpoint,
            settings.Broker == "mt4" ? Mt4BrokerPath : null);
        Router = node.System.ActorOf(BridgeSetup.RouterProps(options, Inbound, settings.RouterTuning(_outbox)), "bridge");
        if (candidate)
        {
            // A candidate trades only once it holds the lease; until the member says so, the bridge is a standby.
            Role.Set(new BridgeRole(false));
            _roleFeed = node.System.ActorOf(BridgeRoleFeedActor.Props(Role, settings.Peers, "/user/" + HueyP.Cluster.Member.ClusterMemberActor.ActorName,
                TimeSpan.FromMilliseconds(250), _outbox as JournalOutbox, Send), BridgeRoleFeedActor.ActorName);
        }
    }

    /// <summary>
    /// The outbound hook: hands a message to the router. SIGNAL/TRADE are journaled in the outbox before they are sent
    /// and kept until the EA ACKs them.
    /// </summary>
    public void Send(BridgeMessage message) => Router.Tell(new RouteMessage(message), ActorRefs.NoSender);

    /// <summary>A TRADE for an order, expiring after hueyp.bridge.order-time-to-live unless the payload says otherwise.</summary>
    public BridgeMessage Trade(string orderId, string symbol, OrderSide side, double volume, string orderType = "MARKET", DateTimeOffset? expiresAt = null)
    {
        var factory = _factory ?? throw new InvalidOperationException("the bridge has not started");
        var expiry = expiresAt ?? (_system!.Scheduler.TimeProvider.GetUtcNow() + settings.OrderTimeToLive);
        return factory.Create(MessageType.Trade, new OrderPayload(orderId, symbol, side, volume, expiry) { OrderType = orderType });
    }

    public async ValueTask DisposeAsync()
    {
        if (_system is { } system)
        {
            if (_roleFeed is not null) system.Stop(_roleFeed);
            system.Stop(Router);
            system.Stop(Inbound);
            await WaitStoppedAsync(system, RouterPath);
        }
        if (_outbox is JournalOutbox journal) await journal.DisposeAsync();
        _dedupStore?.Dispose();
    }

    /// <summary>Transports close their listeners in PostStop; wait for that so a restarted node can bind again.</summary>
    private static async Task WaitStoppedAsync(ActorSystem system, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await system.ActorSelection(path).ResolveOne(TimeSpan.FromMilliseconds(200));
            }
            catch (ActorNotFoundException)
            {
                return;
            }
            await Task.Delay(20);
        }
    }
}
