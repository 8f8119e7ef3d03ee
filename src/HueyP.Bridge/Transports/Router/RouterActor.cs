using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Outbox;

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

    /// <summary>
    /// Consecutive loop-around probes a link better than the current route must answer before traffic returns to it
    /// (0: trust a link as soon as it is up). The first route of all is taken without probes.
    /// </summary>
    public int VerifyProbes { get; init; } = 3;

    /// <summary>Time between verification probes; an unanswered probe restarts the count.</summary>
    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// Failover router: starts each transport under a BackoffSupervisor, sends through the highest-priority
/// transport with a live, verified link (socket > pipe > spool), publishes <see cref="RouteChanged"/>, keeps
/// per-transport health, and owns at-least-once delivery of orders via the outbox (replay on every switch).
/// A repaired better link is verified with loop-around probes before traffic returns to it, so a listener that
/// accepts but cannot carry traffic does not pull the route back and forth.
/// </summary>
public sealed class RouterActor : ReceiveActor, IWithTimers
{
    private sealed class RetransmitTick
    {
        public static readonly RetransmitTick Instance = new();
    }

    private sealed record ProbeDue(TransportKind Kind);

    /// <summary>The outbox's commit of an order finished (Error null) or failed; the order may be sent now.</summary>
    private sealed record OutboxCommitDone(string MessageId, Exception? Error);

    /// <summary>A routed message waiting for its turn: an order only once its outbox commit is done.</summary>
    private sealed class AwaitingSend(BridgeMessage message)
    {
        public BridgeMessage Message { get; } = message;
        public bool Committed = true;
    }

    private sealed class Health(TransportKind kind)
    {
        public TransportKind Kind { get; } = kind;
        public IActorRef? Link;
        public bool Verified;
        public int ProbesAnswered;
        public string? PendingProbe;
        public string? Peer;
        public TimeSpan? Latency;
        public long Sent;
        public long Received;
        public long Drops;
        public int Failures;
        public string? LastError;

        public TransportHealth Snapshot() =>
            new(Kind, Link is not null, Latency, Sent, Received, Drops, LastError) { Verified = Link is not null && Verified, Peer = Peer, Failures = Failures };
    }

    private readonly RouterSettings _settings;
    private readonly SortedDictionary<TransportKind, Health> _health = new();
    private readonly Dictionary<string, DateTimeOffset> _lastSent = new(StringComparer.Ordinal);
    private readonly Queue<AwaitingSend> _sendQueue = new();
    private readonly HashSet<string> _awaitingCommit = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log;
    private readonly TimeProvider _time;
    private TransportKind? _current;
    private TransportKind? _forced;
    private string? _forcedReason;
    private IActorRef? _currentLink;
    private long _probeCounter;

    public RouterActor(RouterSettings settings)
    {
        _settings = settings;
        _log = Context.GetLogger();
        _time = Context.System.Scheduler.TimeProvider;
        foreach (var spec in settings.Transports) _health[spec.Kind] = new Health(spec.Kind);

        Receive<RouteMessage>(r => OnRoute(r.Message));
        Receive<OutboxCommitDone>(OnCommitDone);
        Receive<LinkUp>(OnLinkUp);
        Receive<LinkDown>(down =>
        {
            var health = _health[down.Kind];
            if (!Equals(health.Link, down.Link)) return; // an older link of this transport
            health.Link = null;
            health.Verified = false;
            health.PendingProbe = null;
            health.Failures++;
            health.LastError = down.Reason;
            Timers.Cancel(ProbeTimer(down.Kind));
            Reroute($"{down.Kind} link down: {down.Reason}");
        });
        Receive<ProbeDue>(p => Probe(p.Kind));
        Receive<LinkProbeAnswered>(OnProbeAnswered);
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
        Receive<FailTransport>(OnFailTransport);
        Receive<ForceTransport>(OnForceTransport);
        Receive<RetransmitTick>(_ => Retransmit());
        Receive<GetRouterStatus>(_ => Sender.Tell(new RouterStatus(_current, _health.Values.Select(h => h.Snapshot()).ToArray(), _settings.Outbox.Count)
        {
            OldestPendingAt = _settings.Outbox.OldestPendingAt,
            Forced = _forced,
            ForcedReason = _forcedReason,
        }, Self));
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

    /// <summary>The name of a transport's BackoffSupervisor under the router; its child is "{name}-transport".</summary>
    public static string ChildName(TransportKind kind) => kind.ToString().ToLowerInvariant();

    private static string ProbeTimer(TransportKind kind) => "probe-" + ChildName(kind);

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

    private void OnLinkUp(LinkUp up)
    {
        var health = _health[up.Kind];
        health.Link = up.Link;
        health.Peer = up.Peer;
        health.ProbesAnswered = 0;
        health.PendingProbe = null;
        var needsVerification = _settings.VerifyProbes > 0 && _current is { } current && up.Kind < current;
        health.Verified = !needsVerification;
        _log.Info("{Kind} link up ({Peer}, protocol {Version}){Verify}", up.Kind, up.Peer, WireNames.Name(up.Version),
            needsVerification ? $"; verifying with {_settings.VerifyProbes} probes before traffic returns to it" : "");
        if (needsVerification) Probe(up.Kind);
        else Reroute($"{up.Kind} link up");
    }

    private void Probe(TransportKind kind)
    {
        var health = _health[kind];
        if (health.Link is not { } link || health.Verified) return;
        if (health.PendingProbe is not null) health.ProbesAnswered = 0; // unanswered within the interval: start over
        health.PendingProbe = $"verify-{ChildName(kind)}-{++_probeCounter}";
        // The deadline is armed before the probe leaves, so it counts from before any answer can arrive.
        Timers.StartSingleTimer(ProbeTimer(kind), new ProbeDue(kind), _settings.VerifyInterval);
        link.Tell(new ProbeLink(health.PendingProbe), Self);
    }

    private void OnProbeAnswered(LinkProbeAnswered answer)
    {
        var health = _health[answer.Kind];
        if (!Equals(health.Link, answer.Link) || answer.Nonce != health.PendingProbe || health.Verified) return;
        health.PendingProbe = null;
        health.Latency = answer.RoundTrip;
        if (++health.ProbesAnswered < _settings.VerifyProbes) return;
        health.Verified = true;
        Timers.Cancel(ProbeTimer(answer.Kind));
        Context.System.EventStream.Publish(new LinkVerified(answer.Kind, health.ProbesAnswered, answer.RoundTrip));
        Reroute($"{answer.Kind} verified: {health.ProbesAnswered} loop-around probes answered (last {answer.RoundTrip.TotalMilliseconds:0.###} ms)");
    }

    private void OnFailTransport(FailTransport fail)
    {
        if (!_health.ContainsKey(fail.Kind))
        {
            Sender.Tell(new FailTransportResult(false, $"{ChildName(fail.Kind)} is not configured"), Self);
            return;
        }
        if (fail.Kind == TransportKind.Spool && fail.Fault != TransportFault.Close)
        {
            Sender.Tell(new FailTransportResult(false, "the spool has no connection to stall or corrupt; only close applies"), Self);
            return;
        }
        _log.Warning("Chaos: {Fault} injected into the {Kind} transport: {Reason}", fail.Fault, fail.Kind, fail.Reason);
        Context.Child(ChildName(fail.Kind)).Tell(new InjectFault(fail.Fault, fail.Reason), Self);
        Sender.Tell(new FailTransportResult(true, $"{fail.Fault.ToString().ToLowerInvariant()} injected into {ChildName(fail.Kind)}"), Self);
    }

    private void OnForceTransport(ForceTransport force)
    {
        if (force.Kind is not { } kind)
        {
            var was = _forced;
            _forced = null;
            _forcedReason = null;
            _log.Warning("Transport choice back to automatic ({Reason}); was pinned to {Kind}", force.Reason, was?.ToString() ?? "nothing");
            Sender.Tell(new ForceTransportResult(true, was is null ? "already automatic" : $"automatic again (was pinned to {ChildName(was.Value)})"), Self);
            Reroute($"automatic again: {force.Reason}");
            return;
        }
        if (!_health.TryGetValue(kind, out var health))
        {
            Sender.Tell(new ForceTransportResult(false, $"{ChildName(kind)} is not configured"), Self);
            return;
        }
        if (health.Link is null)
        {
            Sender.Tell(new ForceTransportResult(false, $"{ChildName(kind)} has no live link ({health.LastError ?? "the EA is not connected on it"}); only a healthy transport can be forced"), Self);
            return;
        }
        _forced = kind;
        _forcedReason = force.Reason;
        // The operator vouches for it: a link still answering its verification probes may carry traffic now.
        health.Verified = true;
        health.PendingProbe = null;
        Timers.Cancel(ProbeTimer(kind));
        _log.Warning("Traffic pinned to {Kind} by an operator: {Reason}", kind, force.Reason);
        Sender.Tell(new ForceTransportResult(true, $"traffic pinned to {ChildName(kind)}"), Self);
        Reroute($"forced to {ChildName(kind)}: {force.Reason}");
    }

    private void OnRoute(BridgeMessage message)
    {
        var isOrder = WireNames.IsOrder(message.Type);
        if (isOrder && message.IsStale(_time.GetUtcNow()))
        {
            Dropped(message.MessageId, $"expired at {Timestamps.Format(message.ExpiresAt!.Value)} before it was sent", null);
            return;
        }
        var entry = new AwaitingSend(message);
        if (isOrder)
        {
            Task committed;
            try
            {
                committed = _settings.Outbox.Enqueue(message);
            }
            catch (Exception e)
            {
                committed = Task.FromException(e);
            }
            if (_awaitingCommit.Contains(message.MessageId)) entry.Committed = false; // the same order again: behind its first commit
            else if (!committed.IsCompleted)
            {
                // Never wait here: the commit's outcome comes back as a message, and sends keep their order behind it.
                _awaitingCommit.Add(message.MessageId);
                entry.Committed = false;
                var id = message.MessageId;
                committed.PipeTo(Self, success: () => new OutboxCommitDone(id, null), failure: e => new OutboxCommitDone(id, e));
            }
            else if (committed.Exception is { } failed) CommitFailed(message.MessageId, failed.InnerException ?? failed);
        }
        _sendQueue.Enqueue(entry);
        SendReady();
    }

    private void OnCommitDone(OutboxCommitDone done)
    {
        _awaitingCommit.Remove(done.MessageId);
        if (done.Error is { } error) CommitFailed(done.MessageId, error);
        foreach (var entry in _sendQueue)
            if (entry.Message.MessageId == done.MessageId) entry.Committed = true;
        SendReady();
    }

    private void CommitFailed(string messageId, Exception error)
    {
        // Still held in memory and sent: a journal outage must not stop trading traffic, only its durability.
        var reason = error is OutboxUnavailableException ? error.Message : $"{messageId} could not be journaled: {error.Message}";
        _log.Error("Outbox could not journal {MessageId}: {Reason}", messageId, reason);
        Context.System.EventStream.Publish(new OutboxWriteFailed(messageId, reason));
    }

    /// <summary>Sends, in arrival order, every message up to the first order whose commit is still outstanding.</summary>
    private void SendReady()
    {
        while (_sendQueue.TryPeek(out var next) && next.Committed)
        {
            _sendQueue.Dequeue();
            var message = next.Message;
            var isOrder = WireNames.IsOrder(message.Type);
            if (_current is { } kind) Send(kind, message);
            else if (!isOrder) Dropped(message.MessageId, "no healthy transport", null);
            // orders wait in the outbox for the next route
        }
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
        var bestHealth = _forced is { } forced && _health[forced] is { Link: not null, Verified: true } pinned
            ? pinned
            : _health.Values.FirstOrDefault(h => h.Link is not null && h.Verified);
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
            if (_awaitingCommit.Contains(message.MessageId)) continue; // not durable yet: it goes out when its commit is done
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
            if (_awaitingCommit.Contains(message.MessageId)) continue;
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
