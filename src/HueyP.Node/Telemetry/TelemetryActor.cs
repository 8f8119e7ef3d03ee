using HueyP.Actors;
using HueyP.Actors.Diagnostics;
using HueyP.Actors.Event;
using HueyP.Bridge.Transports.Router;
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
/// /user/telemetry: listens to the engine (EventStream) and asks its actors for their status on a timer, then writes
/// the state files and the logs and hands the dashboard a snapshot. Reflective only: it sends nothing but queries,
/// never waits for an answer (replies arrive as messages), and a failing write is logged and retried next time — it
/// cannot slow down or change trading.
/// </summary>
public sealed class TelemetryActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "telemetry";
    private const string SampleTimer = "telemetry-sample";
    private const string WriteTimer = "telemetry-write";
    private const int BookEverySamples = 4;

    private readonly TelemetrySettings _settings;
    private readonly TelemetrySources _sources;
    private readonly TelemetryWriter _writer;
    private readonly TelemetryWriteLoop _loop;
    private readonly bool _ownsLoop;
    private readonly TelemetryHub _hub;
    private readonly TelemetryMetrics? _metrics;
    private readonly TelemetryState _state;
    private long _version;
    private long _samples;
    private bool _bookPending;
    private IActorRef? _cluster;
    private const int ClusterLookupEverySamples = 10;
    private const string ClusterMemberPath = "/user/" + HueyP.Cluster.Member.ClusterMemberActor.ActorName;
    private bool _lastWriteFailed;

    /// <param name="loop">The write loop the module owns (and drains at stop); null: the actor runs its own.</param>
    public TelemetryActor(TelemetrySettings settings, TelemetrySources sources, TelemetryWriter writer, TelemetryHub hub, TelemetryMetrics? metrics, TelemetryText text,
        TelemetryWriteLoop? loop = null)
    {
        _settings = settings;
        _sources = sources;
        _writer = writer;
        var self = Self;
        _ownsLoop = loop is null;
        _loop = loop ?? new TelemetryWriteLoop(writer, r => self.Tell(r, ActorRefs.NoSender));
        _hub = hub;
        _metrics = metrics;
        _state = new TelemetryState(settings, text, Context.System.Scheduler.Now, sources.PrimaryTransport);

        Receive<SampleTelemetry>(_ => Sample());
        Receive<WriteTelemetry>(_ => { Write(); });
        Receive<FlushTelemetry>(_ =>
        {
            Publish();
            var version = _version;
            // Answered once the files are on disk; the actor goes on meanwhile.
            Write().PipeTo(Sender, Self, () => new TelemetryFlushed(version));
        });
        Receive<TelemetryWriteResult>(OnWritten);
        Receive<ModeStatus>(m => _state.OnModeStatus(m));
        Receive<ModeChanged>(m =>
        {
            _state.OnModeChanged(m);
            _metrics?.ModeTransitions.Add(1);
            CountEvent("mode_changed");
            // The pill must move at once, not at the next sample.
            Publish();
            _sources.Mode?.Tell(GetMode.Instance, Self);
        });
        Receive<EntryHoldChanged>(h =>
        {
            _state.OnEntryHold(h);
            CountEvent("entry_hold");
            Publish();
        });
        Receive<BreakersStatus>(b => _state.OnBreakers(b));
        Receive<BreakerStateChanged>(b =>
        {
            _state.OnBreakerChanged(b);
            CountEvent("breaker_changed");
            Publish();
        });
        Receive<TransportRouteChanged>(r =>
        {
            _state.OnRouteChanged(r, Now);
            CountEvent("route_changed");
            Publish();
        });
        Receive<HealthReported>(h => _state.OnEngineHealth(h));
        Receive<SymbolStatus>(s => _state.OnSymbol(s, Now));
        Receive<RecorderStats>(r => _state.OnRecorder(r, Now));
        Receive<AgentsStatus>(a => _state.OnAgents(a));
        Receive<LedgerView>(l => _state.OnLedger(l, Now));
        Receive<RouterStatus>(r => _state.OnBridge(r, Now));
        Receive<HueyP.Cluster.Member.ClusterStatus>(c =>
        {
            var roleBefore = _state.Cluster?.Role;
            _state.OnCluster(c, Now);
            if (roleBefore is not null && roleBefore != c.Role) Publish();
        });
        Receive<KillSwitchStatus>(k =>
        {
            _state.OnKillSwitch(k, Now);
            Publish();
        });
        Receive<OrderBook>(book =>
        {
            _bookPending = false;
            _state.OnBook(book, Now);
            _hub.PublishBook(book);
        });
        Receive<Status.Failure>(f =>
        {
            // The order side did not answer (busy or stopping): keep the last book, ask again later.
            _bookPending = false;
            _state.OnError(Now, "orders", f.Cause.Message);
        });
        Receive<RecordOperatorAction>(a =>
        {
            _state.OnOperatorAction(Now, a.Summary, a.Reason, a.Severity);
            CountEvent("operator_action");
            Publish();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    public static Props Props(TelemetrySettings settings, TelemetrySources sources, TelemetryWriter writer, TelemetryHub hub, TelemetryMetrics? metrics, TelemetryText text,
        TelemetryWriteLoop? loop = null) =>
        Actors.Props.Create(() => new TelemetryActor(settings, sources, writer, hub, metrics, text, loop));

    protected override void PreStart()
    {
        var events = Context.System.EventStream;
        events.Subscribe(Self, typeof(ModeChanged));
        events.Subscribe(Self, typeof(EntryHoldChanged));
        events.Subscribe(Self, typeof(BreakerStateChanged));
        events.Subscribe(Self, typeof(TransportRouteChanged));
        events.Subscribe(Self, typeof(HealthReported));
        Timers.StartPeriodicTimer(SampleTimer, SampleTelemetry.Instance, TimeSpan.Zero, _settings.SampleInterval);
        Timers.StartPeriodicTimer(WriteTimer, WriteTelemetry.Instance, _settings.WriteInterval, _settings.WriteInterval);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        // The last figures reach the files even when the node stops between two writes (the module drains its loop).
        Write();
        if (_ownsLoop) _ = _loop.DisposeAsync().AsTask();
    }

    private void Sample()
    {
        _sources.Mode?.Tell(GetMode.Instance, Self);
        _sources.Breakers?.Tell(GetBreakers.Instance, Self);
        if (_sources.Symbols is { } symbols)
        {
            foreach (var symbol in _sources.SymbolNames) symbols.Tell(new GetSymbolStatus(symbol), Self);
        }

        _sources.Decisions?.Tell(GetRecorderStats.Instance, Self);
        _sources.Agents?.Tell(GetAgentStatus.Instance, Self);
        _sources.Ledger?.Tell(GetLedgerState.Instance, Self);
        _sources.Intake?.Tell(GetKillSwitch.Instance, Self);
        _sources.BridgeRouter?.Tell(GetRouterStatus.Instance, Self);
        ClusterMember()?.Tell(HueyP.Cluster.Member.GetClusterStatus.Instance, Self);
        // The book asks every order entity: every few samples is enough for the blotter and the order counts.
        if (_sources.Book is { } book && !_bookPending && _samples++ % BookEverySamples == 0)
        {
            _bookPending = true;
            book(CancellationToken.None).PipeTo(Self);
        }
        if (_sources.Probes is { } probes) _state.OnLatencies(LatencyFigures.Of(probes));
        if (_sources.Diagnostics is { } diagnostics)
        {
            _state.OnActors(diagnostics.Snapshot("/user", 8), diagnostics.DeadLetterCount);
        }

        Publish();
    }

    /// <summary>
    /// The cluster module starts after telemetry, so its member is looked up by path now and then (a synchronous lookup:
    /// no message goes to a path that does not exist, so no dead letters).
    /// </summary>
    private IActorRef? ClusterMember()
    {
        if (_cluster is null && _samples % ClusterLookupEverySamples == 1)
        {
            var lookup = Context.System.ActorSelection(ClusterMemberPath).ResolveOne(TimeSpan.Zero);
            if (lookup.IsCompletedSuccessfully) _cluster = lookup.Result;
        }

        return _cluster;
    }

    private void Publish() => _hub.Publish(TelemetrySnapshotBuilder.Build(_state, Now, _settings, ++_version));

    private void CountEvent(string kind) =>
        _metrics?.TelemetryEvents.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Turns the state into text here (it is this actor's) and leaves the disk to the write loop.</summary>
    private Task Write()
    {
        _state.RecordScore(Now);
        return _loop.Enqueue(_writer.Prepare(_state, Now));
    }

    private void OnWritten(TelemetryWriteResult result)
    {
        if (result.Error is null)
        {
            if (result.StateWritten) _metrics?.StateWriteSeconds.Record(result.Elapsed.TotalSeconds);
            if (_lastWriteFailed) Context.GetLogger().Info("telemetry files written again");
            _lastWriteFailed = false;
            return;
        }

        // Telemetry is reflective: a full disk must not take the actor (or anything else) down; say it once.
        if (!_lastWriteFailed) Context.GetLogger().Warning("telemetry files not written ({Error}); retrying every {Interval}", result.Error, _settings.WriteInterval);
        _lastWriteFailed = true;
        _state.OnError(Now, "telemetry", $"files not written: {result.Error}");
    }
}

/// <summary>Where telemetry asks; a null source is not running on this node and its figures stay null.</summary>
public sealed record TelemetrySources(
    IActorRef? Mode,
    IActorRef? Breakers,
    IActorRef? Symbols,
    IReadOnlyList<string> SymbolNames,
    IActorRef? Decisions,
    IActorRef? Agents,
    IActorRef? Ledger,
    ActorSystemDiagnostics? Diagnostics,
    string PrimaryTransport = "socket",
    IActorRef? Intake = null,
    Func<CancellationToken, Task<OrderBook>>? Book = null,
    IActorRef? BridgeRouter = null,
    TelemetryProbes? Probes = null)
{
    public static TelemetrySources None { get; } = new(null, null, null, [], null, null, null, null);
}

internal sealed record SampleTelemetry
{
    public static readonly SampleTelemetry Instance = new();
}

internal sealed record WriteTelemetry
{
    public static readonly WriteTelemetry Instance = new();
}

/// <summary>Publishes a snapshot and writes the files now; replies <see cref="TelemetryFlushed"/>.</summary>
public sealed record FlushTelemetry
{
    public static readonly FlushTelemetry Instance = new();
}

public sealed record TelemetryFlushed(long Version);

/// <summary>An operator action (a dashboard control) for the timeline and events.jsonl.</summary>
public sealed record RecordOperatorAction(string Summary, string? Reason, string Severity = "info");
