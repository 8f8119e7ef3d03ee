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
/// and are journaled, in order, ahead of the next decision once the breaker closes. A write that fails before the
/// breaker has opened is held and retried (<see cref="AppliesHeldWritesAtOnce"/>): its decision takes effect at once as
/// well, so the ladder keeps answering through the outage instead of waiting for the journal it is reporting on.</para>
/// <para>Operator hold (<see cref="HoldEntries"/>, `hueyp mode hold`): journaled here as <see cref="EntryHoldChanged"/>
/// beside the ladder's events, it raises the mode the engine sees (status, replies, published <see cref="ModeChanged"/>)
/// to at least DEGRADED_EXEC until released. The ladder itself is untouched: its conditions, dwell and history go on
/// underneath, and its moves below DEGRADED_EXEC are not published while the hold lasts.</para>
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
    private EntryHold? _hold;
    private readonly List<ModeChanged> _holdTransitions = [];

    public ModeActor(ModeActorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TickInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(settings), "TickInterval must be positive");
        if (string.IsNullOrWhiteSpace(settings.PrimaryTransport)) throw new ArgumentException("PrimaryTransport is required", nameof(settings));
        if (settings.PrimaryGrace < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(settings), "PrimaryGrace must not be negative");
        _settings = settings;
        _manager = new ModeManager(settings.Options);

        Recover<SnapshotOffer>(offer =>
        {
            var snapshot = (ModeSnapshot)offer.Snapshot;
            _state = snapshot.ToState();
            _hold = snapshot.Hold;
            _holdTransitions.Clear();
            _holdTransitions.AddRange(snapshot.HoldTransitions ?? []);
        });
        Recover<EntryHoldChanged>(ApplyHold);
        Recover<IModeEvent>(e =>
        {
            _state = _state.Apply(e);
            _eventsSinceSnapshot++;
        });
        Recover<RecoveryCompleted>(_ =>
            Log.Info("mode recovered: {Mode} with {Conditions} active condition(s){Hold} at sequence {Seq}", Effective().Display(), _state.Conditions.Count,
                _hold is { } h ? $", new entries held by {h.Who} since {h.Since:O}" : "", LastSequenceNr));

        Command<HoldEntries>(OnHoldEntries);
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
            // The ladder's transitions and the operator's holds, one timeline.
            var all = _state.History.Concat(_holdTransitions).OrderBy(h => h.At).ToList();
            var history = q.Limit is > 0 and var n ? all.Skip(Math.Max(0, all.Count - n)).ToList() : all;
            Sender.Tell(new ModeHistory(history));
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => Log.Warning(f.Cause, "mode snapshot failed; recovery replays more events until the next one succeeds"));

        // Ticks arriving before recovery completes are held with the other commands: the dwell is judged on recovered state.
        Timers.StartPeriodicTimer(TickTimer, new ModeTick(default), settings.TickInterval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => PersistenceIdValue;

    protected override bool AppliesHeldWritesAtOnce => true;

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
            Reply(replyTo, ModeCommandResult.Refused(Effective(), decision.Error ?? "refused"));
            return;
        }

        if (decision.Events.Count == 0)
        {
            Reply(replyTo, new ModeCommandResult(true, Effective(), null, null));
            return;
        }

        if (_journalDown)
        {
            // Decided now, journaled when the journal is back (see the class remarks).
            foreach (var e in decision.Events) Applied(e);
            _unjournaled.AddRange(decision.Events);
            Reply(replyTo, new ModeCommandResult(true, Effective(), AsSeenOutside(decision.Transition), null));
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
            Reply(replyTo, new ModeCommandResult(true, Effective(), AsSeenOutside(decision.Transition), null));
            if (_eventsSinceSnapshot >= _settings.SnapshotEvery)
            {
                _eventsSinceSnapshot = 0;
                SaveSnapshot(ModeSnapshot.From(_state) with { Hold = _hold, HoldTransitions = [.. _holdTransitions] });
            }
        });
    }

    private void Applied(IModeEvent e)
    {
        _state = _state.Apply(e);
        _eventsSinceSnapshot++;
        if (e is not ModeChanged changed) return;
        // While held, the engine stays at DEGRADED_EXEC or worse: the ladder's own moves below that change nothing outside.
        if (AsSeenOutside(changed) is not { } effective)
        {
            Log.Info("mode ladder {Change}; new entries stay held by {Who} ({Mode})", changed, _hold?.Who, Effective().Display());
            return;
        }

        Log.Warning("mode {Change}", effective);
        Context.System.EventStream.Publish(effective);
    }

    /// <summary>The ladder's transition as the engine makes it (raised by a hold); null when the hold leaves nothing to see.</summary>
    private ModeChanged? AsSeenOutside(ModeChanged? ladder)
    {
        if (ladder is null) return null;
        var effective = ladder with { From = Raised(ladder.From), To = Raised(ladder.To) };
        return effective.From == effective.To ? null : effective;
    }

    /// <summary>The mode the engine is in: the ladder's, raised to DEGRADED_EXEC while an operator holds new entries.</summary>
    private Mode Effective() => Raised(_state.Mode);

    private Mode Raised(Mode ladder) => _hold is not null && ladder < Mode.DegradedExec ? Mode.DegradedExec : ladder;

    private void OnHoldEntries(HoldEntries hold)
    {
        if (string.IsNullOrWhiteSpace(hold.Reason) || string.IsNullOrWhiteSpace(hold.Who))
        {
            Sender.Tell(ModeCommandResult.Refused(Effective(), "a hold or release needs who and why (a reason)"));
            return;
        }

        if (hold.On == _hold is not null)
        {
            // Idempotent: the operator sees who holds it (or that nothing does) and nothing is journaled.
            Sender.Tell(new ModeCommandResult(true, Effective(), null, null));
            return;
        }

        if (_journalDown)
        {
            Sender.Tell(ModeCommandResult.Refused(Effective(),
                "the journal is down: a hold must be journaled to survive a restart; the kill switch (`hueyp kill-switch on`) or the ladder's own DEGRADED_EXEC stop new entries meanwhile"));
            return;
        }

        var before = Effective();
        var after = hold.On ? (_state.Mode < Mode.DegradedExec ? Mode.DegradedExec : _state.Mode) : _state.Mode;
        var replyTo = Sender;
        Persist(new EntryHoldChanged(Now(), hold.On, hold.Reason.Trim(), hold.Who.Trim(), before, after), e =>
        {
            ApplyHold(e);
            _eventsSinceSnapshot++;
            Log.Warning("{Cause} (mode {From} -> {To})", e.Cause, e.From.Display(), e.To.Display());
            Context.System.EventStream.Publish(e);
            ModeChanged? transition = null;
            if (e.From != e.To)
            {
                transition = _holdTransitions[^1];
                Context.System.EventStream.Publish(transition);
            }

            replyTo.Tell(new ModeCommandResult(true, Effective(), transition, null));
        });
    }

    private void ApplyHold(EntryHoldChanged e)
    {
        _hold = e.Held ? new EntryHold(e.Reason, e.Who, e.At) : null;
        if (e.From == e.To) return;
        _holdTransitions.Add(new ModeChanged(e.At, e.From, e.To, [e.Cause]));
        if (_holdTransitions.Count > ModeState.HistoryLimit) _holdTransitions.RemoveAt(0);
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
        var effective = Effective();
        var permissions = _manager.Permissions(_state, now);
        if (_hold is not null) permissions = permissions with { Mode = effective, AllowsNewEntries = false };
        var ladderLast = _state.History.LastOrDefault();
        var holdLast = _holdTransitions.LastOrDefault();
        var last = holdLast is not null && (ladderLast is null || holdLast.At >= ladderLast.At) ? holdLast : ladderLast;
        return new ModeStatus(
            effective, effective.Display(), _state.ActiveConditions, permissions, _state.VerifiedAt,
            _state.DwellSince, remaining, eta, last, now)
        {
            Repairs = _repairs.Values.OrderBy(r => r.At).ToList(),
            UnjournaledEvents = _unjournaled.Count + HeldEvents,
            Hold = _hold,
            LadderMode = _state.Mode,
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
