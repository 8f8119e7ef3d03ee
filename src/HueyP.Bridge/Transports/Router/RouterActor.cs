using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports.Router;

/// <summary>How to start one transport: its kind and its props given the router's reference.</summary>
public sealed record TransportSpec(TransportKind Kind, Func<IActorRef, Props> CreateProps);

public sealed record RouterSettings(IReadOnlyList<TransportSpec> Transports, IOutbox Outbox)
{
    /// <summary>Receives <see cref="InboundMessage"/> for everything the EA sends (ticks, acks, errors).</summary>
    public IActorRef? Inbound { get; init; }

    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pending orders not ACKed this long are sent again on the current route (the EA de-duplicates).</summary>
    public TimeSpan RetransmitAfter { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Failover router: starts each transport under a BackoffSupervisor, sends through the highest-priority
/// transport with a live link (socket > pipe > spool), publishes <see cref="RouteChanged"/>, keeps
/// per-transport health, and owns at-least-once delivery of orders via the outbox (replay on every switch).
/// </summary>
public sealed class RouterActor : ReceiveActor, IWithTimers
{
    private sealed class RetransmitTick
    {
        public static readonly RetransmitTick Instance = new();
    }

    private sealed class Health(TransportKind kind)
    {
        public TransportKind Kind { get; } = kind;
        public IActorRef? Link;
        public TimeSpan? Latency;
        public long Sent;
        public long Received;
        public long Drops;
        public string? LastError;

        public TransportHealth Snapshot() => new(Kind, Link is not null, Latency, Sent, Received, Drops, LastError);
    }

    private readonly RouterSettings _settings;
    private readonly SortedDictionary<TransportKind, Health> _health = new();
    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log;
    private readonly TimeProvider _time;
    private TransportKind? _current;
    private IActorRef? _currentLink;

    public RouterActor(RouterSettings settings)
    {
        _settings = settings;
        _log = Context.GetLogger();
        _time = Context.System.Scheduler.TimeProvider;
        foreach (var spec in settings.Transports) _health[spec.Kind] = new Health(spec.Kind);

        Receive<RouteMessage>(r => OnRoute(r.Message));
        Receive<LinkUp>(up =>
        {
            var health = _health[up.Kind];
            health.Link = up.Link;
            _log.Info("{Kind} link up ({Peer}, protocol {Version})", up.Kind, up.Peer, WireNames.Name(up.Version));
            Reroute($"{up.Kind} link up");
        });
        Receive<LinkDown>(down =>
        {
            var health = _health[down.Kind];
            if (!Equals(health.Link, down.Link)) return; // an older link of this transport
            health.Link = null;
            health.LastError = down.Reason;
            Reroute($"{down.Kind} link down: {down.Reason}");
        });
        Receive<PeerMessage>(OnPeerMessage);
        Receive<LinkLatency>(l => _health[l.Kind].Latency = l.RoundTrip);
        Receive<LinkRefused>(r =>
        {
            var health = _health[r.Kind];
            health.Drops++;
            health.LastError = $"{r.Code}: {r.Detail}";
        });
        Receive<OutboundDropped>(d =>
        {
            _health[d.Kind].Drops++;
            Dropped(d.MessageId, d.Reason, d.Kind);
        });
        Receive<RetransmitTick>(_ => Retransmit());
        Receive<GetRouterStatus>(_ =>
            Sender.Tell(new RouterStatus(_current, _health.Values.Select(h => h.Snapshot()).ToArray(), _settings.Outbox.Count), Self));
        Receive<Terminated>(t =>
        {
            var kind = _settings.Transports.FirstOrDefault(s => ChildName(s.Kind) == t.ActorRef.Path.Name)?.Kind;
            if (kind is not { } k) return;
            _health[k].LastError = "transport stopped for good (retries exhausted)";
            _log.Error("{Kind} transport stopped for good", k);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RouterSettings settings) => Actors.Props.Create(() => new RouterActor(settings));

    private static string ChildName(TransportKind kind) => kind.ToString().ToLowerInvariant();

    protected override void PreStart()
    {
        foreach (var spec in _settings.Transports)
        {
            var options = Backoff.OnFailure(spec.CreateProps(Self), ChildName(spec.Kind) + "-transport",
                _settings.MinBackoff, _settings.MaxBackoff, 0.2);
            Context.Watch(Context.ActorOf(options.Props(), ChildName(spec.Kind)));
        }
        Timers.StartPeriodicTimer("retransmit", RetransmitTick.Instance, _settings.RetransmitAfter);
    }

    private void OnRoute(BridgeMessage message)
    {
        var isOrder = WireNames.IsOrder(message.Type);
        if (isOrder)
        {
            if (message.IsStale(_time.GetUtcNow()))
            {
                Dropped(message.MessageId, $"expired at {Timestamps.Format(message.ExpiresAt!.Value)} before it was sent", null);
                return;
            }
            _settings.Outbox.Enqueue(message);
        }
        if (_current is { } kind) Send(kind, message);
        else if (!isOrder) Dropped(message.MessageId, "no healthy transport", null);
        // orders wait in the outbox for the next route
    }

    private void OnPeerMessage(PeerMessage peer)
    {
        _health[peer.Kind].Received++;
        var message = peer.Message;
        if (message.Type == MessageType.Ack)
        {
            var ack = Payloads.Read<AckPayload>(message.Payload);
            if (_settings.Outbox.Acknowledge(ack.RefMessageId)) _lastSent.Remove(ack.RefMessageId);
            if (ack.Status == AckStatus.Expired) Dropped(ack.RefMessageId, $"EA refused it as stale: {ack.Reason}", peer.Kind);
        }
        _settings.Inbound?.Tell(new InboundMessage(peer.Kind, message), Self);
    }

    private void Reroute(string reason)
    {
        var bestHealth = _health.Values.FirstOrDefault(h => h.Link is not null);
        TransportKind? best = bestHealth?.Kind;
        if (best == _current && Equals(bestHealth?.Link, _currentLink)) return;
        var from = _current;
        _current = best;
        _currentLink = bestHealth?.Link;
        if (from != best)
        {
            _log.Warning("Route {From} -> {To}: {Reason}", from?.ToString() ?? "none", best?.ToString() ?? "none", reason);
            Context.System.EventStream.Publish(new RouteChanged(from, best, reason));
        }
        // Also on a new link of the same transport (EA reconnected): what the old link swallowed is resent.
        if (best is { } kind) Replay(kind);
    }

    /// <summary>Everything not yet ACKed goes out again, in the original order; the EA de-duplicates by id.</summary>
    private void Replay(TransportKind kind)
    {
        var now = _time.GetUtcNow();
        foreach (var message in _settings.Outbox.Pending())
        {
            if (message.IsStale(now))
            {
                _settings.Outbox.Remove(message.MessageId);
                Dropped(message.MessageId, $"expired at {Timestamps.Format(message.ExpiresAt!.Value)} while waiting for a route", null);
                continue;
            }
            Send(kind, message);
        }
    }

    private void Retransmit()
    {
        if (_current is not { } kind) return;
        var now = _time.GetUtcNow();
        foreach (var message in _settings.Outbox.Pending())
        {
            if (message.IsStale(now))
            {
                _settings.Outbox.Remove(message.MessageId);
                Dropped(message.MessageId, $"expired at {Timestamps.Format(message.ExpiresAt!.Value)} without an ACK", null);
            }
            else if (!_lastSent.TryGetValue(message.MessageId, out var at) || now - at >= _settings.RetransmitAfter)
            {
                Send(kind, message);
            }
        }
    }

    private void Send(TransportKind kind, BridgeMessage message)
    {
        var health = _health[kind];
        if (health.Link is not { } link) return;
        health.Sent++;
        if (WireNames.IsOrder(message.Type)) _lastSent[message.MessageId] = _time.GetUtcNow();
        link.Tell(new SendToPeer(message), Self);
    }

    private void Dropped(string messageId, string reason, TransportKind? kind)
    {
        _settings.Outbox.Remove(messageId);
        _lastSent.Remove(messageId);
        _log.Warning("Dropped {MessageId}: {Reason}", messageId, reason);
        Context.System.EventStream.Publish(new MessageDropped(messageId, reason, kind));
    }
}
