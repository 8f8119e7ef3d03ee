using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Health;
using HueyP.Engine.Repair;
using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Modes;

/// <summary>
/// /user/engine/mode: the degrade/repair ladder (<see cref="ModeManager"/>) as an event-sourced actor. Every event the
/// ladder decides is journaled under <see cref="PersistenceIdValue"/> before it takes effect, so the mode, its active
/// conditions with their causes and the transition history survive a restart. All decisions are the domain's; this
/// actor only feeds it inputs, stores what it answers and tells the rest of the engine (<see cref="ModeChanged"/> on
/// the EventStream).
/// <para>Inputs are the domain's <see cref="IModeInput"/> records. Their <c>At</c> is replaced by this actor's clock
/// (the system scheduler's, virtual in tests) and never goes below the last event: one clock drives dwell and
/// ordering, so a sender's clock skew cannot get an input refused as "time going backwards".</para>
/// <para>Journal outage: the ladder must move exactly when the journal cannot take its events. While the <c>journal</c>
/// breaker is open, decisions take effect in memory (published, answered, shown with their count of unjournaled events)
/// and are journaled, in order, ahead of the next decision once the breaker closes. A failed write stops this actor
/// (persistence semantics) after publishing <see cref="JournalWriteFailed"/>; its BackoffSupervisor restarts it from
/// the journal and the next health sample re-raises what still holds.</para>
/// </summary>
public sealed class ModeActor : Health.JournalingActor, IWithTimers
{
    public const string PersistenceIdValue = "engine-mode";
    public const string ActorName = "mode";
    private const string TickTimer = "mode-tick";
    private const string PrimaryGraceTimer = "mode-primary-grace";

    private readonly ModeActorSettings _settings;
    private readonly ModeManager _manager;
    private ModeState _state = ModeState.Initial;
    private int _eventsSinceSnapshot;
    private bool _journalDown;
    private readonly List<IModeEvent> _unjournaled = [];
    private readonly Dictionary<string, RepairProgress> _repairs = new(StringComparer.Ordinal);
    private string? _route;
    private bool _primaryReached;
    private bool _primaryGraceStarted;

    public ModeActor(ModeActorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TickInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(settings), "TickInterval must be positive");
        if (string.IsNullOrWhiteSpace(settings.PrimaryTransport)) throw new ArgumentException("PrimaryTransport is required", nameof(settings));
        if (settings.PrimaryGrace < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(settings), "PrimaryGrace must not be negative");
        _settings = settings;
        _manager = new ModeManager(settings.Options);

        Recover<SnapshotOffer>(offer => _state = ((ModeSnapshot)offer.Snapshot).ToState());
        Recover<IModeEvent>(e =>
        {
            _state = _state.Apply(e);
            _eventsSinceSnapshot++;
        });
        Recover<RecoveryCompleted>(_ =>
            Log.Info("mode recovered: {Mode} with {Conditions} active condition(s) at sequence {Seq}", _state.Mode.Display(), _state.Conditions.Count, LastSequenceNr));

        Command<ModeTick>(t => Handle(t, replyTo: null));
        Command<IModeInput>(input => Handle(input, Sender));
        Command<TransportRouteChanged>(OnRouteChanged);
        Command<PrimaryGraceOver>(_ => OnPrimaryGraceOver());
        Command<BreakerStateChanged>(OnBreaker);
        Command<RepairProgress>(p =>
        {
            _repairs[p.PlanId] = p;
            // Finished repairs stay visible until newer ones push them out.
            foreach (var old in _repairs.Values.OrderBy(r => r.At).Take(Math.Max(0, _repairs.Count - 10)).ToList()) _repairs.Remove(old.PlanId);
        });
        Command<GetMode>(_ => Sender.Tell(Status()));
        Command<GetModeHistory>(q =>
        {
            var history = q.Limit is > 0 and var n ? _state.History.Skip(Math.Max(0, _state.History.Count - n)).ToList() : _state.History.ToList();
            Sender.Tell(new ModeHistory(history));
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => Log.Warning(f.Cause, "mode snapshot failed; recovery replays more events until the next one succeeds"));

        // Ticks arriving before recovery completes are held with the other commands: the dwell is judged on recovered state.
        Timers.StartPeriodicTimer(TickTimer, new ModeTick(default), settings.TickInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => PersistenceIdValue;

    public static Props Props(ModeActorSettings? settings = null)
    {
        var s = settings ?? ModeActorSettings.Default;
        return Actors.Props.Create(() => new ModeActor(s));
    }

    protected override void PreStart()
    {
        base.PreStart();
        Context.System.EventStream.Subscribe(Self, typeof(TransportRouteChanged));
        Context.System.EventStream.Subscribe(Self, typeof(BreakerStateChanged));
        Context.System.EventStream.Subscribe(Self, typeof(RepairProgress));
    }

    private void OnBreaker(BreakerStateChanged change)
    {
        if (change.Dependency != Dependencies.Journal) return;
        // Half-open is still down: its single trial call is the probe's, and a failed flush would stop this actor.
        _journalDown = change.To != BreakerStatus.Closed;
        if (_journalDown || _unjournaled.Count == 0) return;
        Log.Info("journal breaker {Status}: journaling {Count} mode event(s) decided during the outage", change.To, _unjournaled.Count);
        var pending = _unjournaled.ToList();
        _unjournaled.Clear();
        // Already applied and counted when decided: the handler has nothing left to do.
        PersistAll(pending, _ => { });
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        base.PostStop();
    }

    private DateTimeOffset Now()
    {
        var now = Context.System.Scheduler.Now;
        return _state.LastAt is { } last && last > now ? last : now;
    }

    /// <summary>
    /// The bridge's route as ladder inputs: losing a route (leaving the primary, or any transport for a worse one or for
    /// none) is a comm condition naming the transport now carrying traffic; the router coming back to the primary (it
    /// does so only once the link answers) is the comm path's verification. The condition still clears only after the
    /// dwell with every health gate good. The climb to the best transport at startup (none, spool, pipe, then the
    /// socket when the EA connects) is no loss: it degrades only if the primary is not up within
    /// <see cref="ModeActorSettings.PrimaryGrace"/> of the first route.
    /// </summary>
    private void OnRouteChanged(TransportRouteChanged route)
    {
        var primary = _settings.PrimaryTransport;
        _route = route.To;
        if (IsPrimary(route.To))
        {
            _primaryReached = true;
            Timers.Cancel(PrimaryGraceTimer);
            Handle(new PrimaryVerified(default, HealthPath.Comm, $"bridge routed back to {primary} (from {route.From ?? "none"}): {route.Reason}"), replyTo: null);
            return;
        }
        if (route.IsLoss || IsPrimary(route.From) || _primaryReached || _settings.PrimaryGrace == TimeSpan.Zero)
        {
            Handle(new TransportBudgetExhausted(default, primary, route.To, $"bridge route {route.From ?? "none"} -> {route.To ?? "none"}: {route.Reason}"), replyTo: null);
            return;
        }
        if (_primaryGraceStarted) return;
        _primaryGraceStarted = true;
        Log.Info("bridge route {From} -> {To} before {Primary} first came up: not a degradation for {Grace}",
            route.From ?? "none", route.To ?? "none", primary, _settings.PrimaryGrace);
        Timers.StartSingleTimer(PrimaryGraceTimer, PrimaryGraceOver.Instance, _settings.PrimaryGrace);
    }

    private void OnPrimaryGraceOver()
    {
        if (_primaryReached || IsPrimary(_route)) return;
        var primary = _settings.PrimaryTransport;
        var grace = _settings.PrimaryGrace.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        Handle(new TransportBudgetExhausted(default, primary, _route, $"{primary} not up {grace} s after the bridge's first route"), replyTo: null);
    }

    private bool IsPrimary(string? transport) => string.Equals(transport, _settings.PrimaryTransport, StringComparison.OrdinalIgnoreCase);

    private void Handle(IModeInput input, IActorRef? replyTo)
    {
        input = Restamp(input, Now());
        var decision = _manager.Decide(_state, input);
        if (!decision.Accepted)
        {
            Log.Info("mode input {Input} refused: {Error}", input.GetType().Name, decision.Error);
            Reply(replyTo, ModeCommandResult.Refused(_state.Mode, decision.Error ?? "refused"));
            return;
        }

        if (decision.Events.Count == 0)
        {
            Reply(replyTo, new ModeCommandResult(true, _state.Mode, null, null));
            return;
        }

        if (_journalDown)
        {
            // Decided now, journaled when the journal is back (see the class remarks).
            foreach (var e in decision.Events) Applied(e);
            _unjournaled.AddRange(decision.Events);
            Reply(replyTo, new ModeCommandResult(true, _state.Mode, decision.Transition, null));
            return;
        }

        var last = decision.Events[^1];
        var alreadyApplied = _unjournaled.Count;
        var events = _unjournaled.Concat(decision.Events).ToList();
        _unjournaled.Clear();
        // Outage events first (their state is applied already), then this decision's; handlers run in persist order.
        PersistAll(events, e =>
        {
            if (alreadyApplied > 0)
            {
                alreadyApplied--;
                return;
            }
            Applied(e);
            if (!ReferenceEquals(e, last)) return;
            Reply(replyTo, new ModeCommandResult(true, _state.Mode, decision.Transition, null));
            if (_eventsSinceSnapshot >= _settings.SnapshotEvery)
            {
                _eventsSinceSnapshot = 0;
                SaveSnapshot(ModeSnapshot.From(_state));
            }
        });
    }

    private void Applied(IModeEvent e)
    {
        _state = _state.Apply(e);
        _eventsSinceSnapshot++;
        if (e is ModeChanged changed)
        {
            Log.Warning("mode {Change}", changed);
            Context.System.EventStream.Publish(changed);
        }
    }

    private static void Reply(IActorRef? replyTo, ModeCommandResult result)
    {
        if (!replyTo.IsNobody()) replyTo!.Tell(result);
    }

    private ModeStatus Status()
    {
        var now = Context.System.Scheduler.Now;
        var remaining = _manager.DwellRemaining(_state, now);
        // An ETA only once the dwell clock runs; before that the gates are not all good and nobody can say when they will be.
        DateTimeOffset? eta = remaining is { } r && _state.DwellSince is not null ? now + r : null;
        return new ModeStatus(
            _state.Mode, _state.Mode.Display(), _state.ActiveConditions, _manager.Permissions(_state, now), _state.VerifiedAt,
            _state.DwellSince, remaining, eta, _state.History.LastOrDefault(), now)
        {
            Repairs = _repairs.Values.OrderBy(r => r.At).ToList(),
            UnjournaledEvents = _unjournaled.Count,
        };
    }

    private sealed record PrimaryGraceOver
    {
        public static readonly PrimaryGraceOver Instance = new();
    }

    private static IModeInput Restamp(IModeInput input, DateTimeOffset at) => input switch
    {
        HealthReported x => x with { At = at },
        TransportBudgetExhausted x => x with { At = at },
        RiskVeto x => x with { At = at },
        HaltRequested x => x with { At = at },
        FaultReported x => x with { At = at },
        PrimaryVerified x => x with { At = at },
        OperatorClear x => x with { At = at },
        ModeTick x => x with { At = at },
        // Unknown inputs go to the domain unchanged; it refuses them with a clear error.
        _ => input,
    };
}
