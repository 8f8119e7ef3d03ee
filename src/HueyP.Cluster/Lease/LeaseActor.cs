using HueyP.Actors;
using HueyP.Actors.Event;

namespace HueyP.Cluster.Lease;

/// <summary>
/// /user/cluster/lease: competes for the lease on the standby, renews it on the active, and tells its parent when it
/// is won, lost or being handed over. The decisions are <see cref="LeaseRules"/>'; this actor only runs the store's
/// calls (one at a time) and the timers.
/// </summary>
public sealed class LeaseActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "lease";
    private const string TickTimer = "tick";
    private const string ExpiryTimer = "expiry";

    private readonly ILeaseStore _store;
    private readonly ClusterSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stopping = new();
    private LeaseState _state = LeaseState.Initial;
    private string? _lastLoss;
    private long _lastHolderNotice = -1;

    public ITimerScheduler Timers { get; set; } = null!;

    public LeaseActor(ILeaseStore store, ClusterSettings settings)
    {
        _store = store;
        _settings = settings;
        _clock = Context.System.Settings.TimeProvider;
        _log = Context.GetLogger();

        Receive<Tick>(_ => Apply(LeaseRules.Tick(_state, Now)));
        Receive<AcquireResult>(OnAcquireResult);
        Receive<AcquireFailed>(failed =>
        {
            _state = LeaseRules.NotAcquired(_state);
            _log.Warning("Lease: cannot reach the database to compete for the lease: {Error}", failed.Error.Message);
        });
        Receive<RenewResult>(OnRenewResult);
        Receive<StepDown>(_ => Apply(LeaseRules.StepDown(_state)));
        Receive<EngineStopped>(stopped =>
        {
            Apply(LeaseRules.EngineStopped(_state, stopped.Epoch, Now, Ticks(_settings.StepDownHold)));
            // Compete at once (unless holding back after a step-down): the other node may be gone too.
            if (_state.Role == LeaseRole.Standby) Self.Tell(Tick.Instance);
        });
        Receive<GetLeaseStatus>(_ => Sender.Tell(new LeaseStatus(_state.Role, _state.Epoch,
            _state.Role is LeaseRole.Active or LeaseRole.Releasing ? Math.Max(0, _clock.GetElapsedTime(Now, _state.ValidUntil).TotalMilliseconds) : 0, _lastLoss)));
        Receive<Released>(_ => { });
    }

    private long Now => _clock.GetTimestamp();

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _clock.TimestampFrequency);

    protected override void PreStart()
    {
        Self.Tell(Tick.Instance);
        Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.AcquireInterval);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        // Stopping the actor (node shutdown) lets go of the session; PostgreSQL frees the advisory lock at once.
        _ = _store.AbandonAsync();
    }

    private void OnAcquireResult(AcquireResult result)
    {
        switch (result.Outcome)
        {
            case Acquired acquired:
                Apply(LeaseRules.Acquired(_state, acquired.Epoch, result.SentAt, Ticks(_settings.LeaseTtl)));
                break;
            case HeldByOther held:
                _state = LeaseRules.NotAcquired(_state);
                if (held.Lease.Epoch != _lastHolderNotice || held.EndedStaleHolder)
                {
                    _lastHolderNotice = held.Lease.Epoch;
                    _log.Info("Lease: standby; {Holder} holds epoch {Epoch}{Stale}", held.Lease.Holder ?? "nobody", held.Lease.Epoch,
                        held.EndedStaleHolder ? " (expired: its session was ended, taking over next)" : "");
                }
                break;
        }
    }

    private void OnRenewResult(RenewResult result)
    {
        switch (result.Outcome)
        {
            case Renewed:
                _state = LeaseRules.Renewed(_state, result.Epoch, result.SentAt, Ticks(_settings.LeaseTtl));
                ScheduleExpiryCheck();
                break;
            case RenewRefused refused:
                _lastLoss = refused.Reason;
                Apply(LeaseRules.Lost(_state, result.Epoch), refused.Reason);
                break;
        }
    }

    private void Apply((LeaseState State, LeaseCommand Command) decision, string? reason = null)
    {
        var before = _state;
        _state = decision.State;
        switch (decision.Command)
        {
            case LeaseCommand.TryAcquire:
                var sentAt = Now;
                _store.TryAcquireAsync(_stopping.Token).PipeTo(Self,
                    success: outcome => new AcquireResult(outcome, sentAt),
                    failure: error => new AcquireFailed(error));
                break;
            case LeaseCommand.Renew:
                var epoch = _state.Epoch;
                var renewSentAt = Now;
                _store.RenewAsync(epoch, _stopping.Token).PipeTo(Self,
                    success: outcome => new RenewResult(epoch, outcome, renewSentAt),
                    failure: error => new RenewResult(epoch, new RenewRefused(error.Message), renewSentAt));
                break;
            case LeaseCommand.AnnounceActive:
                _log.Info("Lease: acquired epoch {Epoch}; this node is active", _state.Epoch);
                _lastLoss = null;
                Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.RenewInterval);
                ScheduleExpiryCheck();
                Context.Parent.Tell(new LeaseAcquired(_state.Epoch));
                break;
            case LeaseCommand.AnnounceLost:
                reason ??= $"not renewed within lease-ttl ({_settings.LeaseTtl.TotalMilliseconds:0} ms)";
                _lastLoss = reason;
                _log.Warning("Lease: lost epoch {Epoch}: {Reason}; stopping the engine", _state.Epoch, reason);
                Timers.Cancel(ExpiryTimer);
                Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.AcquireInterval);
                // The session may still hold the advisory lock (e.g. a renewal timed out): drop it so the other node can win.
                _store.AbandonAsync().PipeTo(Self, success: () => Released.Instance, failure: _ => Released.Instance);
                Context.Parent.Tell(new LeaseLost(_state.Epoch, reason));
                break;
            case LeaseCommand.AnnounceReleasing:
                _log.Info("Lease: stepping down from epoch {Epoch}; draining the engine", _state.Epoch);
                Context.Parent.Tell(new LeaseReleasing(_state.Epoch));
                break;
            case LeaseCommand.Release:
                var released = before.Epoch;
                _log.Info("Lease: released epoch {Epoch}; standby for at least {Hold}", released, _settings.StepDownHold);
                Timers.Cancel(ExpiryTimer);
                Timers.StartPeriodicTimer(TickTimer, Tick.Instance, _settings.AcquireInterval);
                _store.ReleaseAsync(released, CancellationToken.None).PipeTo(Self, success: () => Released.Instance, failure: _ => Released.Instance);
                break;
        }
    }

    private void ScheduleExpiryCheck()
    {
        var remaining = _clock.GetElapsedTime(Now, _state.ValidUntil);
        Timers.StartSingleTimer(ExpiryTimer, Tick.Instance, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
    }

    public static Props Props(ILeaseStore store, ClusterSettings settings) => Actors.Props.Create(() => new LeaseActor(store, settings));

    private sealed record Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record AcquireResult(AcquireOutcome Outcome, long SentAt);

    private sealed record AcquireFailed(Exception Error);

    private sealed record RenewResult(long Epoch, RenewOutcome Outcome, long SentAt);

    private sealed record Released
    {
        public static readonly Released Instance = new();
    }
}
