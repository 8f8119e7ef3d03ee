using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Domain.Breakers;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Modes;

namespace HueyP.Engine.Health;

public sealed record HealthSamplerSettings
{
    public HealthOptions Options { get; init; } = HealthOptions.Default;

    /// <summary>How often the scores are computed and reported to the mode ladder.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A gauge that reported and then stayed silent this long counts as missing (bad).</summary>
    public TimeSpan GaugeStaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Lost routes (<see cref="TransportRouteChanged.IsLoss"/>) within this window count as reconnects in the comm score;
    /// establishing the first route and returning to a repaired transport do not.
    /// </summary>
    public TimeSpan ReconnectWindow { get; init; } = TimeSpan.FromMinutes(10);

    public JournalOutageAction JournalOutage { get; init; } = JournalOutageAction.DegradedExec;

    public static HealthSamplerSettings Default { get; } = new();
}

/// <summary>
/// /user/engine/health: turns real signals into the three gate scores (<see cref="HealthScorer"/>) and reports them to
/// the mode ladder every <see cref="HealthSamplerSettings.SampleInterval"/>. The ladder's thresholds, hysteresis and
/// dwell are the domain's (<see cref="ModeManager"/>); this actor only measures. Signals, all from the EventStream:
/// <list type="bullet">
/// <item>exec: the breakers of broker_submit, broker_reads and journal (<see cref="BreakerStateChanged"/>; an open
/// journal or submit breaker caps exec at 40, below its entry threshold 60), broker latency, order reject rate and
/// journal latency gauges (<see cref="HealthGauge"/>). <see cref="JournalWriteFailed"/> is counted against the journal
/// breaker; with <see cref="JournalOutageAction.SafeMode"/> an open journal breaker also requests SAFE_MODE.</item>
/// <item>comm: the bridge's route (<see cref="TransportRouteChanged"/>: routes lost within the window are reconnects, a
/// route to nothing is a dead heartbeat) and its transport gauges.</item>
/// <item>signal: the newest <see cref="FeedHeartbeat"/> (data age), data gauges, and the data breakers: data_primary open
/// means degraded inputs, both data breakers open means no inputs.</item>
/// </list>
/// State is rebuilt from the breakers after a restart; gauges start afresh (a silent source shows as stale within the window).
/// </summary>
public sealed class HealthSamplerActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "health";
    private const string SampleTimer = "health-sample";
    private const double NoSignal = 1e9;

    private readonly HealthSamplerSettings _settings;
    private readonly IActorRef _mode;
    private readonly IActorRef _breakers;
    private readonly HealthScorer _scorer;
    private readonly Dictionary<string, BreakerStatus> _breakerStatus = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Value, DateTimeOffset At)> _gauges = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _routeLosses = new();
    private string? _journalCause;
    private bool _haltRequested;
    private bool _routeKnown;
    private string? _route;
    private DateTimeOffset? _newestData;
    private DateTimeOffset? _newestDataSeenAt;
    private HealthSampled? _last;

    public HealthSamplerActor(HealthSamplerSettings settings, IActorRef mode, IActorRef breakers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.SampleInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(settings), "SampleInterval must be positive");
        _settings = settings;
        _mode = mode;
        _breakers = breakers;
        _scorer = new HealthScorer(settings.Options);
        foreach (var dependency in Dependencies.All) _breakerStatus[dependency] = BreakerStatus.Closed;

        Receive<SampleNow>(_ => Sample());
        Receive<BreakersStatus>(s =>
        {
            foreach (var b in s.Breakers) _breakerStatus[b.Dependency] = b.Status;
        });
        Receive<BreakerStateChanged>(OnBreaker);
        Receive<HealthGauge>(g =>
        {
            if (HealthGauges.All.Contains(g.Name) && double.IsFinite(g.Value)) _gauges[g.Name] = (g.Value, Now);
            else Context.GetLogger().Warning("health gauge {Name}={Value} ignored: unknown name or not a number", g.Name, g.Value);
        });
        Receive<FeedHeartbeat>(f =>
        {
            if (_newestData is null || f.DataTimeUtc > _newestData) _newestData = f.DataTimeUtc;
            _newestDataSeenAt = Now;
        });
        Receive<TransportRouteChanged>(r =>
        {
            _routeKnown = true;
            _route = r.To;
            // Counting every change made startup (none -> spool -> pipe -> socket) and each repair's way back look like
            // flapping: one outage in the first minutes held comm below its recovery threshold for the whole window.
            if (r.IsLoss) _routeLosses.Enqueue(Now);
        });
        Receive<JournalWriteFailed>(f => _breakers.Tell(new ReportOutcome(Dependencies.Journal, false, $"{f.PersistenceId}: {f.Cause}")));
        Receive<BreakerView>(_ => { });
        Receive<ModeCommandResult>(r =>
        {
            if (!r.Accepted) Context.GetLogger().Warning("mode refused the sampler's input: {Error}", r.Error);
        });
        Receive<BreakerRefused>(r => Context.GetLogger().Warning("breaker {Dependency} refused the sampler: {Error}", r.Dependency, r.Error));
        Receive<GetHealth>(_ => Sender.Tell(_last ?? Score()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef mode, IActorRef breakers, HealthSamplerSettings? settings = null)
    {
        var s = settings ?? HealthSamplerSettings.Default;
        return Actors.Props.Create(() => new HealthSamplerActor(s, mode, breakers));
    }

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart()
    {
        var stream = Context.System.EventStream;
        foreach (var type in new[] { typeof(BreakerStateChanged), typeof(HealthGauge), typeof(FeedHeartbeat), typeof(TransportRouteChanged), typeof(JournalWriteFailed) })
            stream.Subscribe(Self, type);
        // A restarted sampler learns the breakers' current states instead of assuming them closed.
        _breakers.Tell(GetBreakers.Instance, Self);
        Timers.StartPeriodicTimer(SampleTimer, SampleNow.Instance, _settings.SampleInterval);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void OnBreaker(BreakerStateChanged change)
    {
        _breakerStatus[change.Dependency] = change.To;
        if (change.Dependency != Dependencies.Journal) return;
        if (change.To == BreakerStatus.Open) _journalCause = change.Cause;
        if (change.To == BreakerStatus.Closed) _haltRequested = false;
        // Sample at once: an outage should not wait for the next tick to reach the ladder.
        Self.Tell(SampleNow.Instance);
    }

    private void Sample()
    {
        _last = Score();
        _mode.Tell(new HealthReported(default, _last.Comm.Score, _last.Signal.Score, _last.Exec.Score), Self);
        if (_settings.JournalOutage == JournalOutageAction.SafeMode && _breakerStatus[Dependencies.Journal] == BreakerStatus.Open && !_haltRequested)
        {
            _haltRequested = true;
            _mode.Tell(new HaltRequested(default, Dependencies.Journal, $"journal breaker open ({_journalCause ?? "writes failing"}); configured to halt on journal outage"), Self);
        }
        Context.System.EventStream.Publish(_last);
    }

    private HealthSampled Score()
    {
        var now = Now;
        while (_routeLosses.Count > 0 && now - _routeLosses.Peek() > _settings.ReconnectWindow) _routeLosses.Dequeue();
        // No route at all, or the bridge breaker open: nothing flows, whatever the last heartbeat said.
        var noRoute = (_routeKnown && _route is null) || _breakerStatus[Dependencies.Bridge] == BreakerStatus.Open;
        var comm = _scorer.Comm(new CommSnapshot(
            Gauge(HealthGauges.TransportLatencyMs, 0, now),
            Gauge(HealthGauges.DropRate, 0, now),
            _routeLosses.Count,
            noRoute ? NoSignal : Gauge(HealthGauges.HeartbeatAgeS, 0, now)));

        var primaryOpen = _breakerStatus[Dependencies.DataPrimary] == BreakerStatus.Open;
        var fallbackOpen = _breakerStatus[Dependencies.DataFallback] == BreakerStatus.Open;
        double? dataAge = _newestDataSeenAt is null ? 0
            : now - _newestDataSeenAt.Value > _settings.GaugeStaleAfter ? (now - _newestDataSeenAt.Value).TotalSeconds
            : Math.Max(0, (now - _newestData!.Value).TotalSeconds);
        var signal = _scorer.Signal(new SignalSnapshot(
            primaryOpen && fallbackOpen ? NoSignal : dataAge,
            primaryOpen ? _settings.Options.DataRejectRate.Bad : Gauge(HealthGauges.DataRejectRate, 0, now),
            primaryOpen ? _settings.Options.FeatureAvailability.Bad : Gauge(HealthGauges.FeatureAvailability, 1, now)));

        var exec = _scorer.Exec(new ExecSnapshot(
            Gauge(HealthGauges.BrokerLatencyMs, 0, now),
            Gauge(HealthGauges.OrderRejectRate, 0, now),
            Gauge(HealthGauges.JournalLatencyMs, 0, now),
            _breakerStatus[Dependencies.BrokerSubmit], _breakerStatus[Dependencies.BrokerReads], _breakerStatus[Dependencies.Journal]));
        return new HealthSampled(comm, signal, exec, now);
    }

    /// <summary>Never reported: <paramref name="unwired"/> (nothing measures it here). Reported but stale: missing.</summary>
    private double? Gauge(string name, double unwired, DateTimeOffset now) =>
        !_gauges.TryGetValue(name, out var g) ? unwired
        : now - g.At > _settings.GaugeStaleAfter ? null
        : g.Value;

    private sealed record SampleNow
    {
        public static readonly SampleNow Instance = new();
    }
}
