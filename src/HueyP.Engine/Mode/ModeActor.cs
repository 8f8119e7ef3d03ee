using HueyP.Actors;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
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
/// </summary>
public sealed class ModeActor : ReceivePersistentActor, IWithTimers
{
    public const string PersistenceIdValue = "engine-mode";
    public const string ActorName = "mode";
    private const string TickTimer = "mode-tick";

    private readonly ModeActorSettings _settings;
    private readonly ModeManager _manager;
    private ModeState _state = ModeState.Initial;
    private int _eventsSinceSnapshot;

    public ModeActor(ModeActorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.TickInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(settings), "TickInterval must be positive");
        if (string.IsNullOrWhiteSpace(settings.PrimaryTransport)) throw new ArgumentException("PrimaryTransport is required", nameof(settings));
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
    /// The bridge's route as ladder inputs: leaving the primary transport is a comm condition naming the transport now
    /// carrying traffic; the router coming back to the primary (it does so only once the link answers) is the comm
    /// path's verification. The condition still clears only after the dwell with every health gate good.
    /// </summary>
    private void OnRouteChanged(TransportRouteChanged route)
    {
        var primary = _settings.PrimaryTransport;
        IModeInput input = string.Equals(route.To, primary, StringComparison.OrdinalIgnoreCase)
            ? new PrimaryVerified(default, HealthPath.Comm, $"bridge routed back to {primary} (from {route.From ?? "none"}): {route.Reason}")
            : new TransportBudgetExhausted(default, primary, route.To, $"bridge route {route.From ?? "none"} -> {route.To ?? "none"}: {route.Reason}");
        Handle(input, replyTo: null);
    }

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

        var last = decision.Events[^1];
        PersistAll(decision.Events, e =>
        {
            _state = _state.Apply(e);
            _eventsSinceSnapshot++;
            if (e is ModeChanged changed)
            {
                Log.Warning("mode {Change}", changed);
                Context.System.EventStream.Publish(changed);
            }

            if (!ReferenceEquals(e, last)) return;
            Reply(replyTo, new ModeCommandResult(true, _state.Mode, decision.Transition, null));
            if (_eventsSinceSnapshot >= _settings.SnapshotEvery)
            {
                _eventsSinceSnapshot = 0;
                SaveSnapshot(ModeSnapshot.From(_state));
            }
        });
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
            _state.DwellSince, remaining, eta, _state.History.LastOrDefault(), now);
    }

    private static IModeInput Restamp(IModeInput input, DateTimeOffset at) => input switch
    {
        HealthReported x => x with { At = at },
        TransportBudgetExhausted x => x with { At = at },
        RiskVeto x => x with { At = at },
        FaultReported x => x with { At = at },
        PrimaryVerified x => x with { At = at },
        OperatorClear x => x with { At = at },
        ModeTick x => x with { At = at },
        // Unknown inputs go to the domain unchanged; it refuses them with a clear error.
        _ => input,
    };
}
