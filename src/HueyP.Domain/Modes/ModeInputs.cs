using HueyP.Domain.Faults;
using HueyP.Domain.Health;

namespace HueyP.Domain.Modes;

/// <summary>Something the mode manager is told; it answers with events (or an error, changing nothing).</summary>
public interface IModeInput
{
    DateTimeOffset At { get; }
}

/// <summary>The latest score of each path (see <see cref="HealthScorer"/>), 0..100.</summary>
public sealed record HealthReported(DateTimeOffset At, double Comm, double Signal, double Exec) : IModeInput
{
    public double Of(HealthPath path) => path switch
    {
        HealthPath.Comm => Comm,
        HealthPath.Signal => Signal,
        _ => Exec,
    };
}

/// <summary>The transport supervisor gave up restarting <see cref="Transport"/>; traffic now goes over <see cref="Fallback"/>.</summary>
public sealed record TransportBudgetExhausted(DateTimeOffset At, string Transport, string? Fallback, string Detail) : IModeInput;

public sealed record RiskVeto(DateTimeOffset At, string Agent, string Reason) : IModeInput;

/// <summary>A classified fault; only INVARIANT_VIOLATION and PROGRAMMING_ERROR change the mode, the rest is supervision's job.</summary>
public sealed record FaultReported(DateTimeOffset At, FaultClassification Fault, string Source, string Message) : IModeInput;

/// <summary>
/// A dependency the engine cannot trade safely without is gone and configuration says to stop rather than manage
/// (e.g. the journal: nothing new may be decided that cannot be recorded). Enters SAFE_MODE; only an operator leaves it.
/// </summary>
public sealed record HaltRequested(DateTimeOffset At, string Source, string Reason) : IModeInput;

/// <summary>Shadow traffic confirmed the primary path of <see cref="Path"/> works again.</summary>
public sealed record PrimaryVerified(DateTimeOffset At, HealthPath Path, string Evidence) : IModeInput;

/// <summary>The only way out of SAFE_MODE.</summary>
public sealed record OperatorClear(DateTimeOffset At, string Reason, string Who) : IModeInput;

/// <summary>Time passed; lets a dwell complete without waiting for the next health report.</summary>
public sealed record ModeTick(DateTimeOffset At) : IModeInput;
