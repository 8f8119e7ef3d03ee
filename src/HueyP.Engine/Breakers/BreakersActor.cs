using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Domain.Breakers;

namespace HueyP.Engine.Breakers;

/// <summary>
/// /user/engine/breakers: one <see cref="BreakerMachine"/> per dependency, on the system scheduler's clock (virtual in
/// tests). Callers acquire before a call and report its outcome; opening, probing and closing are the domain's rules,
/// and every change of status is published as <see cref="BreakerStateChanged"/>.
/// <para>Deliberately not persistent: the journal is one of the guarded dependencies, and a breaker must not depend on
/// what it guards. After a restart every breaker starts closed; a dependency still failing trips it again within its
/// short window (3 failures by default).</para>
/// </summary>
public sealed class BreakersActor : ReceiveActor
{
    public const string ActorName = "breakers";

    private readonly Dictionary<string, BreakerMachine> _machines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BreakerState> _states = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log;

    public BreakersActor(BreakersActorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _log = Context.GetLogger();
        foreach (var (dependency, options) in settings.Options)
        {
            _machines[dependency] = new BreakerMachine(options, dependency);
            _states[dependency] = BreakerState.Initial(dependency);
        }

        Receive<AcquireBreaker>(a => WithBreaker(a.Dependency, (machine, state, now) =>
        {
            var step = machine.TryAcquire(state, now);
            Apply(step, null);
            Sender.Tell(new BreakerAdmission(a.Dependency, step.Admission!.Value, step.RetryAt));
        }));
        Receive<ReportOutcome>(r => WithBreaker(r.Dependency, (machine, state, now) =>
        {
            if (!r.Success && string.IsNullOrWhiteSpace(r.Cause))
            {
                Sender.Tell(new BreakerRefused(r.Dependency, "a failure needs a cause (what went wrong)"));
                return;
            }

            var step = r.Success ? machine.OnSuccess(state, now) : machine.OnFailure(state, now, r.Cause!);
            Apply(step, null);
            Sender.Tell(BreakerView.Of(step.State, now));
        }));
        Receive<ResetBreaker>(r => WithBreaker(r.Dependency, (machine, state, now) =>
        {
            if (string.IsNullOrWhiteSpace(r.Reason) || string.IsNullOrWhiteSpace(r.Who))
            {
                Sender.Tell(new BreakerRefused(r.Dependency, "a reset needs who and why"));
                return;
            }

            var step = machine.Reset(state, now, $"{r.Reason} (by {r.Who})");
            _log.Warning("breaker {Dependency} reset by {Who}: {Reason}", r.Dependency, r.Who, r.Reason);
            Apply(step, r.Who);
            Sender.Tell(BreakerView.Of(step.State, now));
        }));
        Receive<GetBreakers>(_ =>
        {
            var now = Context.System.Scheduler.Now;
            Sender.Tell(new BreakersStatus(_states.Values.OrderBy(s => s.Dependency, StringComparer.Ordinal).Select(s => BreakerView.Of(s, now)).ToList(), now));
        });
    }

    public static Props Props(BreakersActorSettings? settings = null)
    {
        var s = settings ?? BreakersActorSettings.Default;
        return Actors.Props.Create(() => new BreakersActor(s));
    }

    private void WithBreaker(string dependency, Action<BreakerMachine, BreakerState, DateTimeOffset> handle)
    {
        if (dependency is null || !_machines.TryGetValue(dependency, out var machine))
        {
            Sender.Tell(new BreakerRefused(dependency ?? "", $"no breaker named '{dependency}' (known: {string.Join(", ", _machines.Keys.Order(StringComparer.Ordinal))})"));
            return;
        }

        var state = _states[dependency];
        // The domain refuses time going backwards; a wall clock stepped back by NTP must not crash the breaker.
        var now = Context.System.Scheduler.Now;
        if (state.LastEventAt is { } last && last > now) now = last;
        handle(machine, state, now);
    }

    private void Apply(BreakerStep step, string? by)
    {
        var before = _states[step.State.Dependency];
        _states[step.State.Dependency] = step.State;
        if (before.Status == step.State.Status && step.Events.All(e => e is not BreakerClosed and not BreakerOpened)) return;
        var s = step.State;
        var cause = step.Events.LastOrDefault() switch
        {
            BreakerOpened o => o.Cause,
            BreakerClosed c => c.Cause,
            BreakerProbeAdmitted => "open period over: one probe admitted",
            _ => s.LastCause ?? "",
        };
        var at = step.Events.LastOrDefault()?.At ?? Context.System.Scheduler.Now;
        if (s.Status == BreakerStatus.Open) _log.Warning("breaker {Dependency} open until {Until:O} ({Level}): {Cause}", s.Dependency, s.OpenUntil, s.Level, cause);
        Context.System.EventStream.Publish(new BreakerStateChanged(s.Dependency, before.Status, s.Status, s.Level, s.OpenUntil, cause, at, by));
    }
}
