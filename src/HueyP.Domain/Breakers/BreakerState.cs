using System.Collections.Immutable;

namespace HueyP.Domain.Breakers;

public enum BreakerStatus
{
    Closed,
    Open,
    /// <summary>The open period is over and the single probe is in flight; everyone else still waits.</summary>
    HalfOpen,
}

/// <summary>
/// A breaker as data. <see cref="RecentFailures"/> keeps failures within the long window across openings, so a
/// dependency that trips, recovers and trips again escalates to the long open period instead of cycling forever.
/// </summary>
public sealed record BreakerState(
    string Dependency,
    BreakerStatus Status,
    ImmutableList<DateTimeOffset> RecentFailures,
    DateTimeOffset? OpenUntil,
    BreakerLevel? Level,
    string? LastCause,
    int TimesOpened,
    DateTimeOffset? LastEventAt)
{
    public static BreakerState Initial(string dependency)
    {
        if (string.IsNullOrWhiteSpace(dependency)) throw new ArgumentException("dependency name is required", nameof(dependency));
        return new(dependency, BreakerStatus.Closed, [], null, null, null, 0, null);
    }

    /// <summary>A query without side effects: would a call at <paramref name="now"/> be let through (as normal call or probe)?</summary>
    public bool AllowsRequest(DateTimeOffset now) => Status switch
    {
        BreakerStatus.Closed => true,
        BreakerStatus.Open => OpenUntil is { } until && now >= until,
        _ => false,
    };

    public BreakerState Apply(IBreakerEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Dependency != Dependency)
            throw new ArgumentException($"event for breaker '{e.Dependency}' applied to breaker '{Dependency}'", nameof(e));
        var next = e switch
        {
            BreakerFailureRecorded f => this with { RecentFailures = RecentFailures.RemoveAll(t => t <= f.ForgetBefore).Add(f.At), LastCause = f.Cause },
            BreakerOpened o => this with
            {
                Status = BreakerStatus.Open, OpenUntil = o.Until, Level = o.Level, LastCause = o.Cause, TimesOpened = TimesOpened + 1,
            },
            BreakerProbeAdmitted => this with { Status = BreakerStatus.HalfOpen },
            BreakerClosed c => this with
            {
                Status = BreakerStatus.Closed, OpenUntil = null, Level = null, LastCause = c.Cause,
                RecentFailures = c.FailureHistoryCleared ? [] : RecentFailures,
            },
            _ => throw new ArgumentException($"unknown breaker event {e.GetType().Name}", nameof(e)),
        };
        return next with { LastEventAt = LastEventAt is { } last && last > e.At ? last : e.At };
    }

    public override string ToString() => Status switch
    {
        BreakerStatus.Open => $"{Dependency}: open until {OpenUntil:O} ({Level}) - {LastCause}",
        BreakerStatus.HalfOpen => $"{Dependency}: half-open, probe in flight",
        _ => $"{Dependency}: closed ({RecentFailures.Count} recent failures)",
    };
}
