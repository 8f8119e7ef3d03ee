namespace HueyP.Domain.Breakers;

/// <summary>Every change of a breaker is one of these; the actor persists them and replays them with <see cref="BreakerState.Apply"/>.</summary>
public interface IBreakerEvent
{
    string Dependency { get; }
    DateTimeOffset At { get; }
}

public enum BreakerLevel
{
    /// <summary>The burst rule tripped (default 3 failures in 60 s, open 60 s).</summary>
    Short,
    /// <summary>The persistence rule tripped (default 10 failures in 10 min, open 15 min).</summary>
    Long,
}

/// <summary>
/// A failure counted while closed or half-open, or arriving late from a call started before the breaker opened.
/// Failures at or before <see cref="ForgetBefore"/> (outside the long window) are dropped, so replay gives the same state.
/// </summary>
public sealed record BreakerFailureRecorded(string Dependency, DateTimeOffset At, string Cause, DateTimeOffset ForgetBefore) : IBreakerEvent;

/// <summary>Opened (or reopened after a failed probe) until <see cref="Until"/>.</summary>
public sealed record BreakerOpened(
    string Dependency, DateTimeOffset At, DateTimeOffset Until, BreakerLevel Level, int FailuresInWindow, string Cause) : IBreakerEvent;

/// <summary>The open period ran out and one caller was let through as the probe.</summary>
public sealed record BreakerProbeAdmitted(string Dependency, DateTimeOffset At) : IBreakerEvent;

/// <summary>Closed after a successful probe, or by <see cref="BreakerMachine.Reset"/>.</summary>
public sealed record BreakerClosed(string Dependency, DateTimeOffset At, string Cause, bool FailureHistoryCleared) : IBreakerEvent;
