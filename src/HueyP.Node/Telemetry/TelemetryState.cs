using HueyP.Actors;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using HueyP.Actors.Diagnostics;
using HueyP.Domain.Agents;
using HueyP.Domain.Breakers;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Agents;
using HueyP.Engine.Breakers;
using HueyP.Engine.Decisions;
using HueyP.Engine.Ledger;
using HueyP.Engine.Modes;
using HueyP.Engine.Orders;
using HueyP.Domain.Orders;
using HueyP.Engine.Symbols;

namespace HueyP.Node.Telemetry;

/// <summary>
/// Everything telemetry knows, folded from the engine's events and status replies; pure (no actors, no I/O, time passed
/// in), so the files' rules are tested without a node. A source that never answered leaves its figures null.
/// </summary>
public sealed class TelemetryState
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);
    private static readonly HashSet<string> RiskReasons = new(StringComparer.OrdinalIgnoreCase)
    {
        "DailyDrawdownLimit", "AgentsEmergencyStop", "AgentsHold", "PairCorrelationBlocked", "PortfolioCorrelationHigh",
    };

    private readonly TelemetrySettings _settings;
    private readonly TelemetryText _text;
    private readonly DateTimeOffset _startedAt;
    private readonly Dictionary<string, SymbolStatus> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<(DateTimeOffset At, long Quotes)>> _quoteWindows = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, BreakerView> _breakers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejectionsSeen = new(StringComparer.Ordinal);
    private readonly LinkedList<TelemetryEvent> _recent = new();
    private readonly List<TelemetryEvent> _pendingEvents = [];
    private readonly List<RiskVetoLine> _pendingVetoes = [];
    private readonly Queue<ScorePoint> _scoreHistory = new();
    private readonly List<ErrorLine> _errors = [];
    private readonly HashSet<string> _fillsSeen = new(StringComparer.Ordinal);
    private readonly List<OrderExecutedLine> _pendingExecutions = [];
    private long _eventSequence;
    private DateTimeOffset _modeSince;
    private double _normalSeconds;
    private Mode? _currentMode;
    private long _modeTransitions;
    private string? _activeTransport;
    private DateTimeOffset? _fallbackSince;
    private double _fallbackSeconds;
    private RouteChangeLine? _lastRoute;

    public TelemetryState(TelemetrySettings settings, TelemetryText text, DateTimeOffset startedAt, string primaryTransport = "socket")
    {
        _settings = settings;
        _text = text;
        _startedAt = startedAt;
        _modeSince = startedAt;
        PrimaryTransport = primaryTransport;
    }

    public string PrimaryTransport { get; }

    /// <summary>How text leaves telemetry (one line, no secrets); the file builders clean what they copy with it.</summary>
    public TelemetryText Text => _text;
    public ModeStatus? Mode { get; private set; }
    public RecorderStats? Recorder { get; private set; }
    public AgentsStatus? Agents { get; private set; }
    public LedgerView? Ledger { get; private set; }
    public DateTimeOffset? LedgerAt { get; private set; }
    public HealthReported? EngineHealth { get; private set; }
    public IReadOnlyList<ActorLoad> BusiestActors { get; private set; } = [];
    public IReadOnlyDictionary<string, long> RestartsByActorType { get; private set; } = new Dictionary<string, long>();
    public long DeadLetters { get; private set; }
    public IReadOnlyDictionary<string, SymbolStatus> Symbols => _symbols;
    public KillSwitchStatus? KillSwitch { get; private set; }
    public RouterStatus? Bridge { get; private set; }
    public HueyP.Cluster.Member.ClusterStatus? Cluster { get; private set; }
    public DateTimeOffset? BridgeAt { get; private set; }
    private RouterStatus? _bridgeBefore;
    private DateTimeOffset? _bridgeBeforeAt;
    public OrderBook? Book { get; private set; }
    public IReadOnlyDictionary<string, long>? OrdersByState { get; private set; }
    public long? Fills => Book is null ? Ledger?.Fills : _fillsSeen.Count;
    public IReadOnlyDictionary<string, BreakerView> Breakers => _breakers;
    /// <summary>The probes' latest percentiles (tick to decision, order ack, journal write); null before the first sample.</summary>
    public LatencyFigures Latencies { get; private set; } = LatencyFigures.None;
    public string? ActiveTransport => _activeTransport;
    public long EventCount => _eventSequence;
    public long ModeTransitions => _modeTransitions;

    // ---- inputs ----

    public void OnModeStatus(ModeStatus status)
    {
        Mode = status;
        if (_currentMode is null)
        {
            _currentMode = status.Mode;
            _modeSince = status.LastTransition?.At ?? _startedAt;
            if (_modeSince < _startedAt) _modeSince = _startedAt;
        }
        else if (_currentMode != status.Mode)
        {
            // A transition the event stream did not bring (e.g. published before we subscribed).
            AccountMode(status.Mode, status.AsOf);
        }
    }

    public void OnModeChanged(ModeChanged changed)
    {
        _modeTransitions++;
        AccountMode(changed.To, changed.At);
        var severity = changed.To == HueyP.Domain.Modes.Mode.Normal ? "info" : changed.To == HueyP.Domain.Modes.Mode.SafeMode ? "critical" : "warning";
        Add(new TelemetryEvent(changed.At, "mode_changed", severity, $"{changed.From.Display()} → {changed.To.Display()}",
            changed.Causes.Select(_text.Clean).ToList(), changed.From.Display(), changed.To.Display()));
        // The next poll brings the conditions; until then the pill must already show the new mode.
        if (Mode is { } m) Mode = m with { Mode = changed.To, ModeName = changed.To.Display(), LastTransition = changed };
    }

    /// <summary>An operator put a hold on new entries or released it: a timeline event of its own (the mode may not move).</summary>
    public void OnEntryHold(EntryHoldChanged changed)
    {
        Add(new TelemetryEvent(changed.At, "entry_hold", changed.Held ? "warning" : "info",
            changed.Held ? $"new entries held by {_text.Clean(changed.Who)}" : $"new entries released by {_text.Clean(changed.Who)}",
            [_text.Clean(changed.Reason)], changed.From.Display(), changed.To.Display()));
        if (Mode is { } m) Mode = m with { Hold = changed.Held ? new EntryHold(changed.Reason, changed.Who, changed.At) : null };
    }

    private void AccountMode(Mode to, DateTimeOffset at)
    {
        if (_currentMode == HueyP.Domain.Modes.Mode.Normal && at > _modeSince) _normalSeconds += (at - _modeSince).TotalSeconds;
        _currentMode = to;
        _modeSince = at > _modeSince ? at : _modeSince;
    }

    public void OnBreakers(BreakersStatus status)
    {
        foreach (var view in status.Breakers) _breakers[view.Dependency] = view;
    }

    public void OnBreakerChanged(BreakerStateChanged changed)
    {
        var severity = changed.To == BreakerStatus.Open ? "warning" : "info";
        Add(new TelemetryEvent(changed.At, "breaker_changed", severity, $"breaker {changed.Dependency}: {changed.From} → {changed.To}",
            [_text.Clean(changed.Cause)], changed.From.ToString(), changed.To.ToString()));
        if (_breakers.TryGetValue(changed.Dependency, out var view))
            _breakers[changed.Dependency] = view with { Status = changed.To, Level = changed.Level, OpenUntil = changed.OpenUntil, LastCause = changed.Cause, LastEventAt = changed.At };
        else
            _breakers[changed.Dependency] = new BreakerView(changed.Dependency, changed.To, changed.Level, changed.OpenUntil, null, 0, 0, changed.Cause, changed.At);
    }

    public void OnRouteChanged(TransportRouteChanged route, DateTimeOffset at)
    {
        AccountFallback(at);
        _activeTransport = route.To;
        if (route.To is not null && !string.Equals(route.To, PrimaryTransport, StringComparison.OrdinalIgnoreCase)) _fallbackSince = at;
        _lastRoute = new RouteChangeLine(at, route.From, route.To, _text.Clean(route.Reason));
        var back = string.Equals(route.To, PrimaryTransport, StringComparison.OrdinalIgnoreCase);
        Add(new TelemetryEvent(at, "route_changed", back ? "info" : "warning", $"route {route.From ?? "none"} → {route.To ?? "none"}",
            [_text.Clean(route.Reason)], route.From, route.To));
    }

    private void AccountFallback(DateTimeOffset at)
    {
        if (_fallbackSince is { } since && at > since) _fallbackSeconds += (at - since).TotalSeconds;
        _fallbackSince = null;
    }

    public void OnEngineHealth(HealthReported health) => EngineHealth = health;

    public void OnLatencies(LatencyFigures figures) => Latencies = figures;

    /// <summary>
    /// What is left of the error budget: the time outside NORMAL the target allows (1 - normal-target of the uptime)
    /// minus the time spent outside it, as a fraction of the allowance; 1 untouched, 0 spent (never below).
    /// </summary>
    public double? ErrorBudgetLeft(DateTimeOffset now)
    {
        if (TimeInNormalFraction(now) is not { } normal) return null;
        var allowed = 1 - _settings.NormalTarget;
        return TelemetryText.Finite(Math.Clamp(1 - (1 - normal) / allowed, 0, 1));
    }

    public void OnSymbol(SymbolStatus status, DateTimeOffset at)
    {
        if (_symbols.TryGetValue(status.Symbol, out var before) && status.Restarts > before.Restarts)
        {
            Add(new TelemetryEvent(at, "symbol_restarted", "warning", $"symbol {status.Symbol} restarted ({status.Restarts} so far)"));
        }

        _symbols[status.Symbol] = status;
        if (!_quoteWindows.TryGetValue(status.Symbol, out var window)) _quoteWindows[status.Symbol] = window = new();
        window.Enqueue((at, status.Quotes));
        while (window.Count > 2 && at - window.Peek().At > RateWindow) window.Dequeue();
    }

    public void OnRecorder(RecorderStats stats, DateTimeOffset at)
    {
        Recorder = stats;
        foreach (var (reason, total) in stats.RejectionsByReason.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var seen = _rejectionsSeen.GetValueOrDefault(reason);
            if (total <= seen) continue;
            _rejectionsSeen[reason] = total;
            if (IsRiskReason(reason)) _pendingVetoes.Add(new RiskVetoLine(at, reason, total - seen, total));
        }
    }

    public void OnAgents(AgentsStatus agents) => Agents = agents;

    /// <summary>The bridge router's own view: which transport carries traffic, each one's health, the outbox.</summary>
    public void OnBridge(RouterStatus status, DateTimeOffset at)
    {
        // Rates need two readings a little apart; keep the older one until a second has passed.
        if (_bridgeBeforeAt is null || at - _bridgeBeforeAt.Value >= TimeSpan.FromSeconds(1))
        {
            _bridgeBefore = Bridge;
            _bridgeBeforeAt = BridgeAt;
        }

        Bridge = status;
        BridgeAt = at;
        var current = status.Current is { } kind ? TransportName(kind) : null;
        if (current is not null && _activeTransport is null)
        {
            _activeTransport = current;
            if (!string.Equals(current, PrimaryTransport, StringComparison.OrdinalIgnoreCase)) _fallbackSince = at;
        }
    }

    /// <summary>This node's part in the active/standby pair; a role change is an incident.</summary>
    public void OnCluster(HueyP.Cluster.Member.ClusterStatus status, DateTimeOffset at)
    {
        if (Cluster is { } before && (before.Role != status.Role || before.Epoch != status.Epoch))
        {
            Add(new TelemetryEvent(at, "cluster_role", status.Role == "active" || before.Role == "active" ? "warning" : "info",
                $"cluster role {before.Role} → {status.Role} (epoch {status.Epoch})", status.LastLoss is null ? null : [_text.Clean(status.LastLoss)], before.Role, status.Role));
        }

        Cluster = status;
    }

    public static string TransportName(TransportKind kind) => HueyP.Bridge.Transports.Router.RouterActor.ChildName(kind);

    /// <summary>Messages a transport received per second between the two newest bridge readings.</summary>
    public double? ReceivedPerSecond(TransportKind kind)
    {
        if (Bridge is null || _bridgeBefore is null || BridgeAt is not { } now || _bridgeBeforeAt is not { } before) return null;
        var seconds = (now - before).TotalSeconds;
        var a = _bridgeBefore.Transports.FirstOrDefault(t => t.Kind == kind);
        var b = Bridge.Transports.FirstOrDefault(t => t.Kind == kind);
        if (a is null || b is null || seconds <= 0) return null;
        return TelemetryText.Finite(Math.Max(0, b.Received - a.Received) / seconds);
    }

    public void OnKillSwitch(KillSwitchStatus status, DateTimeOffset at)
    {
        if (KillSwitch is { } before && before.Active != status.Active)
        {
            Add(new TelemetryEvent(at, "kill_switch", status.Active ? "critical" : "info", status.Active ? "kill switch ON" : "kill switch off",
                status.Reason is null ? null : [_text.Clean($"{status.Reason} (by {status.Who ?? "?"})")]));
        }

        KillSwitch = status;
    }

    /// <summary>The order book: counts by state, and every fill not seen before becomes a line of orders_executed.jsonl.</summary>
    public void OnBook(OrderBook book, DateTimeOffset at)
    {
        var firstBook = Book is null;
        Book = book;
        OrdersByState = book.Orders.Values.GroupBy(o => o.Status.ToString().ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        foreach (var order in book.Orders.Values)
        {
            foreach (var fill in order.FillIds)
            {
                if (!_fillsSeen.Add(fill)) continue;
                // Fills that happened before telemetry started were logged by an earlier run (or belong to it); count them, do not repeat them.
                if (firstBook) continue;
                _pendingExecutions.Add(new OrderExecutedLine(at, order.ClientOrderId, order.Symbol, order.Side.ToString().ToUpperInvariant(),
                    TelemetryText.Finite(order.FilledQuantity), TelemetryText.Finite(order.AverageFillPrice), fill));
            }
        }
    }

    public IReadOnlyList<OrderExecutedLine> DrainExecutions()
    {
        var drained = _pendingExecutions.ToList();
        _pendingExecutions.Clear();
        return drained;
    }

    public void OnLedger(LedgerView ledger, DateTimeOffset at)
    {
        Ledger = ledger;
        LedgerAt = at;
    }

    public void OnActors(ActorTreeNode? root, long deadLetters)
    {
        DeadLetters = deadLetters;
        if (root is null) return;
        var all = new List<ActorTreeNode>();
        Flatten(root, all);
        BusiestActors = all.OrderByDescending(a => a.MailboxDepth).ThenBy(a => a.Path, StringComparer.Ordinal)
            .Take(_settings.BusiestActors).Select(a => new ActorLoad(a.Path, a.ActorType, a.MailboxDepth)).ToList();
        RestartsByActorType = all.GroupBy(a => a.ActorType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (long)g.Sum(a => a.RestartCount), StringComparer.Ordinal);
    }

    private static void Flatten(ActorTreeNode node, List<ActorTreeNode> into)
    {
        into.Add(node);
        foreach (var child in node.Children) Flatten(child, into);
    }

    /// <summary>A dashboard control or any other operator action, for the timeline and events.jsonl.</summary>
    public void OnOperatorAction(DateTimeOffset at, string summary, string? reason, string severity = "info") =>
        Add(new TelemetryEvent(at, "operator_action", severity, _text.Clean(summary), reason is null ? null : [_text.Clean(reason)]));

    public void OnError(DateTimeOffset at, string source, string message)
    {
        _errors.Add(new ErrorLine(at, source, _text.Clean(message)));
        if (_errors.Count > 20) _errors.RemoveAt(0);
    }

    public static bool IsRiskReason(string reason)
    {
        var code = reason.Contains(' ') ? reason[(reason.LastIndexOf(' ') + 1)..] : reason;
        return RiskReasons.Contains(code);
    }

    private void Add(TelemetryEvent e)
    {
        _eventSequence++;
        _pendingEvents.Add(e);
        _recent.AddLast(e);
        while (_recent.Count > _settings.RecentEvents) _recent.RemoveFirst();
    }

    public IReadOnlyList<TelemetryEvent> DrainEvents()
    {
        var drained = _pendingEvents.ToList();
        _pendingEvents.Clear();
        return drained;
    }

    public IReadOnlyList<RiskVetoLine> DrainVetoes()
    {
        var drained = _pendingVetoes.ToList();
        _pendingVetoes.Clear();
        return drained;
    }

    public IReadOnlyList<TelemetryEvent> RecentEvents => [.. _recent];

    // ---- derived figures ----

    public double? TicksPerSecond(string symbol)
    {
        if (!_quoteWindows.TryGetValue(symbol, out var window) || window.Count < 2) return null;
        var first = window.Peek();
        var last = window.Last();
        var seconds = (last.At - first.At).TotalSeconds;
        return seconds <= 0 ? null : TelemetryText.Finite(Math.Max(0, last.Quotes - first.Quotes) / seconds);
    }

    /// <summary>
    /// The ladder's own scores when the engine publishes them (HealthReported); otherwise the same scorer over what
    /// telemetry can measure, counting only measured components (nothing measured: null, shown as n/a, not as 0).
    /// </summary>
    public Scores ScoresAt(DateTimeOffset now)
    {
        if (EngineHealth is { } h)
        {
            return new Scores(Clamp(h.Comm), Clamp(h.Signal), Clamp(h.Exec), RiskScore(), "engine");
        }

        var scorer = HealthScorer.Default;
        var active = Bridge?.Transports.FirstOrDefault(t => TransportName(t.Kind) == _activeTransport);
        var comm = _activeTransport is null ? null
            : MeasuredOnly(scorer.Comm(new CommSnapshot(active?.Latency?.TotalMilliseconds, active is null ? null : DropRate(active), active?.Failures, null)),
                string.Equals(_activeTransport, PrimaryTransport, StringComparison.OrdinalIgnoreCase) ? 100 : 60);
        // Traffic on a fallback is a degraded link whatever its own figures say.
        if (comm is not null && !string.Equals(_activeTransport, PrimaryTransport, StringComparison.OrdinalIgnoreCase)) comm = Math.Min(comm.Value, 60);
        double? newestQuoteAge = _symbols.Values.Where(s => s.LastQuoteUtc is not null)
            .Select(s => (double?)Math.Max(0, (now.UtcDateTime - s.LastQuoteUtc!.Value).TotalSeconds)).Min();
        var signal = newestQuoteAge is null ? null : MeasuredOnly(scorer.Signal(new SignalSnapshot(newestQuoteAge, null, null)), null);
        var exec = _breakers.Count == 0 ? null : MeasuredOnly(scorer.Exec(new ExecSnapshot(null, null, null,
            ClosedUnlessHeard(Dependencies.BrokerSubmit), ClosedUnlessHeard(Dependencies.BrokerReads), ClosedUnlessHeard(Dependencies.Journal))), null);
        return new Scores(CapByMode(comm, HealthPath.Comm), CapByMode(signal, HealthPath.Signal), CapByMode(exec, HealthPath.Exec), RiskScore(), "telemetry");
    }

    /// <summary>A path the mode ladder holds degraded is red on the dashboard too, whatever telemetry measures itself.</summary>
    private double? CapByMode(double? score, HealthPath path) =>
        Mode?.Conditions.Any(c => c.Path == path) == true ? Math.Min(score ?? DegradedCap, DegradedCap) : score;

    private const double DegradedCap = 60;

    /// <summary>Breakers start closed: one telemetry has not heard of since it started has not opened.</summary>
    private BreakerStatus ClosedUnlessHeard(string dependency) => _breakers.TryGetValue(dependency, out var v) ? v.Status : BreakerStatus.Closed;

    /// <summary>Dropped share of what the transport handled, 0..1; null before it handled anything.</summary>
    public static double? DropRate(HueyP.Bridge.Transports.Router.TransportHealth t)
    {
        var handled = t.Sent + t.Received + t.Drops;
        return handled == 0 ? null : (double)t.Drops / handled;
    }

    private static double? Clamp(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 100) : null;

    /// <summary>Weighted mean over the measured components; <paramref name="whenNoneMeasured"/> when the route itself is the only evidence.</summary>
    private static double? MeasuredOnly(HealthScore score, double? whenNoneMeasured)
    {
        var measured = score.Components.Where(c => !c.Missing).ToList();
        if (measured.Count == 0) return whenNoneMeasured;
        var weight = measured.Sum(c => c.Weight);
        var value = measured.Sum(c => c.Weight * c.Score) / weight;
        if (measured.Any(c => c.Critical && c.Score <= 0)) value = Math.Min(value, HealthScoring.CriticalCap);
        return Clamp(value);
    }

    /// <summary>Risk: 100 with no drawdown, 0 at a 10% drawdown; a risk veto in the mode ladder caps it at 40.</summary>
    private double? RiskScore()
    {
        var veto = Mode?.Conditions.Any(c => c.Kind == ConditionKind.RiskVeto) == true;
        double? dd = Ledger is { } l ? TelemetryText.Finite(l.State.PeakNav > 0 ? (double)(l.State.CurrentDrawdown / l.State.PeakNav) : 0) : null;
        if (dd is null) return veto ? 40 : null;
        var score = new Ramp(0, 0.10).Score(Math.Max(0, dd.Value));
        return veto ? Math.Min(score, 40) : score;
    }

    public IReadOnlyList<ScorePoint> ScoreHistory => [.. _scoreHistory];

    /// <summary>Remembers the overall score for the sparkline and forgets points older than the configured window.</summary>
    public void RecordScore(DateTimeOffset now)
    {
        var overall = ScoresAt(now).Overall;
        _scoreHistory.Enqueue(new ScorePoint(now, overall));
        while (_scoreHistory.Count > 0 && now - _scoreHistory.Peek().At > _settings.ScoreHistory) _scoreHistory.Dequeue();
    }

    public double UptimeSeconds(DateTimeOffset now) => Math.Max(0, (now - _startedAt).TotalSeconds);

    public double? TimeInNormalFraction(DateTimeOffset now)
    {
        if (_currentMode is null) return null;
        var uptime = UptimeSeconds(now);
        if (uptime <= 0) return null;
        var normal = _normalSeconds + (_currentMode == HueyP.Domain.Modes.Mode.Normal && now > _modeSince ? (now - _modeSince).TotalSeconds : 0);
        return Math.Clamp(normal / uptime, 0, 1);
    }

    public double? FallbackRatio(DateTimeOffset now)
    {
        if (_activeTransport is null && _lastRoute is null) return null;
        var uptime = UptimeSeconds(now);
        if (uptime <= 0) return null;
        var onFallback = _fallbackSeconds + (_fallbackSince is { } since && now > since ? (now - since).TotalSeconds : 0);
        return Math.Clamp(onFallback / uptime, 0, 1);
    }

    public RouteChangeLine? LastRoute => _lastRoute;

    public IReadOnlyList<ErrorLine> Errors => [.. _errors];
}

public sealed record ActorLoad(string Path, string Type, int Mailbox);

/// <summary>p99 latencies in milliseconds from <see cref="TelemetryProbes"/>; null where nothing was measured.</summary>
public sealed record LatencyFigures(double? TickToDecisionP99Ms, double? OrderAckP99Ms, double? JournalWriteP99Ms, double? JournalWriteP50Ms, double? JournalMeanBatch)
{
    public static LatencyFigures None { get; } = new(null, null, null, null, null);

    public static LatencyFigures Of(TelemetryProbes probes)
    {
        var journal = probes.JournalSummary();
        return new LatencyFigures(probes.TickToDecision.Percentile(0.99), probes.OrderAck.Percentile(0.99), journal?.P99Ms, journal?.P50Ms, journal?.MeanBatch);
    }
}

public sealed record ScorePoint(DateTimeOffset At, double? Score);

/// <summary>The four gate cards' scores, 0..100 or null when their source is not running.</summary>
public sealed record Scores(double? Comm, double? Signal, double? Exec, double? Risk, string Source)
{
    public double? Overall
    {
        get
        {
            double?[] all = [Comm, Signal, Exec, Risk];
            var known = all.Where(s => s is not null).Select(s => s!.Value).ToList();
            return known.Count == 0 ? null : known.Min();
        }
    }
}
