namespace HueyP.Domain.Breakers;

public enum Admission
{
    /// <summary>Closed: go ahead.</summary>
    Allowed,
    /// <summary>You are the single probe: report the outcome with OnSuccess/OnFailure.</summary>
    Probe,
    /// <summary>Open, or half-open with the probe already taken: fail fast (use the fallback path).</summary>
    Rejected,
}

/// <summary>
/// The outcome of one breaker input: the new state and the events that produced it (empty when nothing changed).
/// <see cref="Admission"/> is set only by <see cref="BreakerMachine.TryAcquire"/>.
/// </summary>
public sealed record BreakerStep(BreakerState State, IReadOnlyList<IBreakerEvent> Events, Admission? Admission = null)
{
    public DateTimeOffset? RetryAt => Admission == Breakers.Admission.Rejected ? State.OpenUntil : null;
}

/// <summary>
/// Transitions of a dependency breaker on virtual time. Failures within <see cref="DependencyBreakerOptions.LongWindow"/>
/// are remembered; reaching <see cref="DependencyBreakerOptions.LongThreshold"/> of them opens for the long period,
/// otherwise <see cref="DependencyBreakerOptions.ShortThreshold"/> within the short window opens for the short one.
/// Once the period is over, <see cref="TryAcquire"/> admits exactly one probe; its success closes, its failure reopens
/// for at least the previous period (a failed probe never shortens the wait) and counts towards escalation.
/// </summary>
public sealed class BreakerMachine
{
    private readonly DependencyBreakerOptions _options;

    public BreakerMachine(DependencyBreakerOptions options, string dependency = "default")
    {
        ArgumentNullException.ThrowIfNull(options);
        Strategy.InvalidOptionsException.ThrowIfAny(options.Validate(dependency));
        _options = options;
    }

    public DependencyBreakerOptions Options => _options;

    public BreakerStep TryAcquire(BreakerState state, DateTimeOffset now)
    {
        CheckTime(state, now);
        return state.Status switch
        {
            BreakerStatus.Closed => new(state, [], Admission.Allowed),
            BreakerStatus.Open when state.OpenUntil is { } until && now >= until =>
                Step(state, [new BreakerProbeAdmitted(state.Dependency, now)], Admission.Probe),
            _ => new(state, [], Admission.Rejected),
        };
    }

    public BreakerStep OnFailure(BreakerState state, DateTimeOffset now, string cause)
    {
        CheckTime(state, now);
        if (string.IsNullOrWhiteSpace(cause)) throw new ArgumentException("a failure needs a cause", nameof(cause));
        var failure = new BreakerFailureRecorded(state.Dependency, now, cause, now - _options.LongWindow);
        var counted = state.Apply(failure);
        var inLong = CountSince(counted, now - _options.LongWindow);
        var inShort = CountSince(counted, now - _options.ShortWindow);

        switch (state.Status)
        {
            case BreakerStatus.HalfOpen:
            {
                var (level, duration) = inLong >= _options.LongThreshold ? (BreakerLevel.Long, _options.LongOpen) : (BreakerLevel.Short, _options.ShortOpen);
                if (state.Level == BreakerLevel.Long) (level, duration) = (BreakerLevel.Long, _options.LongOpen);
                return Step(state, [failure, new BreakerOpened(state.Dependency, now, now + duration, level, inLong, $"probe failed: {cause}")]);
            }
            case BreakerStatus.Closed when inLong >= _options.LongThreshold:
                return Step(state, [failure, new BreakerOpened(state.Dependency, now, now + _options.LongOpen, BreakerLevel.Long, inLong,
                    $"{inLong} failures in {Describe(_options.LongWindow)}; last: {cause}")]);
            case BreakerStatus.Closed when inShort >= _options.ShortThreshold:
                return Step(state, [failure, new BreakerOpened(state.Dependency, now, now + _options.ShortOpen, BreakerLevel.Short, inShort,
                    $"{inShort} failures in {Describe(_options.ShortWindow)}; last: {cause}")]);
            default:
                // Closed below thresholds, or a late failure while open: counted, no transition.
                return Step(state, [failure]);
        }
    }

    public BreakerStep OnSuccess(BreakerState state, DateTimeOffset now)
    {
        CheckTime(state, now);
        return state.Status == BreakerStatus.HalfOpen
            ? Step(state, [new BreakerClosed(state.Dependency, now, "probe succeeded", FailureHistoryCleared: false)])
            : new(state, []);
    }

    /// <summary>Operator or repair closes the breaker and forgets its failures: a deliberate fresh start.</summary>
    public BreakerStep Reset(BreakerState state, DateTimeOffset now, string reason)
    {
        CheckTime(state, now);
        if (string.IsNullOrWhiteSpace(reason)) throw new ArgumentException("a reset needs a reason", nameof(reason));
        return Step(state, [new BreakerClosed(state.Dependency, now, $"reset: {reason}", FailureHistoryCleared: true)]);
    }

    private static BreakerStep Step(BreakerState state, IReadOnlyList<IBreakerEvent> events, Admission? admission = null)
    {
        var next = state;
        foreach (var e in events) next = next.Apply(e);
        return new BreakerStep(next, events, admission);
    }

    private static int CountSince(BreakerState state, DateTimeOffset from) => state.RecentFailures.Count(t => t > from);

    private static void CheckTime(BreakerState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.LastEventAt is { } last && now < last)
            throw new ArgumentOutOfRangeException(nameof(now), now, $"time went backwards for breaker {state.Dependency}: last event at {last:O}");
    }

    private static string Describe(TimeSpan window) =>
        window.TotalMinutes >= 1 && window.TotalSeconds % 60 == 0 ? $"{window.TotalMinutes:0} min" : $"{window.TotalSeconds:0.###} s";
}
