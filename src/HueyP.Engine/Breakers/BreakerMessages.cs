using HueyP.Domain.Breakers;

namespace HueyP.Engine.Breakers;

/// <summary>Which dependencies have a breaker and how each trips; default: every name in <see cref="Dependencies.All"/>.</summary>
public sealed record BreakersActorSettings
{
    public IReadOnlyDictionary<string, DependencyBreakerOptions> Options { get; init; } =
        Dependencies.All.ToDictionary(d => d, _ => DependencyBreakerOptions.Default, StringComparer.Ordinal);

    public static BreakersActorSettings Default { get; } = new();
}

/// <summary>Ask before calling the dependency; answered with <see cref="BreakerAdmission"/> (or <see cref="BreakerRefused"/>).</summary>
public sealed record AcquireBreaker(string Dependency);

/// <summary>
/// Allowed: go ahead. Probe: you are the single trial call, report its outcome. Rejected: fail fast and use the
/// fallback; <see cref="RetryAt"/> is when a probe may go.
/// </summary>
public sealed record BreakerAdmission(string Dependency, Admission Admission, DateTimeOffset? RetryAt);

/// <summary>The outcome of a call admitted earlier; a failure needs its cause. Answered with the breaker's <see cref="BreakerView"/>.</summary>
public sealed record ReportOutcome(string Dependency, bool Success, string? Cause = null);

/// <summary>An operator or a repair closes the breaker and forgets its failures. Answered with the <see cref="BreakerView"/>.</summary>
public sealed record ResetBreaker(string Dependency, string Reason, string Who);

/// <summary>An unknown dependency or a malformed request: nothing changed.</summary>
public sealed record BreakerRefused(string Dependency, string Error);

public sealed record GetBreakers
{
    public static readonly GetBreakers Instance = new();
}

/// <summary>One breaker as the CLI shows it.</summary>
public sealed record BreakerView(
    string Dependency,
    BreakerStatus Status,
    BreakerLevel? Level,
    DateTimeOffset? OpenUntil,
    TimeSpan? RetryIn,
    int RecentFailures,
    int TimesOpened,
    string? LastCause,
    DateTimeOffset? LastEventAt)
{
    public static BreakerView Of(BreakerState s, DateTimeOffset now) => new(
        s.Dependency, s.Status, s.Level, s.OpenUntil,
        s.Status == BreakerStatus.Open && s.OpenUntil is { } until ? (until > now ? until - now : TimeSpan.Zero) : null,
        s.RecentFailures.Count, s.TimesOpened, s.LastCause, s.LastEventAt);
}

public sealed record BreakersStatus(IReadOnlyList<BreakerView> Breakers, DateTimeOffset AsOf)
{
    public BreakerStatus? StatusOf(string dependency) => Breakers.FirstOrDefault(b => b.Dependency == dependency)?.Status;
}

/// <summary>
/// Published on the EventStream when a breaker opens, admits its probe, or closes. The health sampler reads the exec
/// breakers (broker_submit, broker_reads, journal) into ExecSnapshot, whose breaker penalty is what moves the ladder.
/// </summary>
public sealed record BreakerStateChanged(
    string Dependency, BreakerStatus From, BreakerStatus To, BreakerLevel? Level, DateTimeOffset? OpenUntil, string Cause, DateTimeOffset At, string? By)
{
    /// <summary>The dependencies whose breakers guard order flow: their state is part of the exec health score.</summary>
    public bool IsExec => Dependency is Dependencies.BrokerSubmit or Dependencies.BrokerReads or Dependencies.Journal;
}
