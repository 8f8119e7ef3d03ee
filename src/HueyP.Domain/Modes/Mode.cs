using HueyP.Domain.Health;

namespace HueyP.Domain.Modes;

/// <summary>The ladder, in order of severity: when several conditions hold, the highest value wins.</summary>
public enum Mode
{
    Normal = 0,
    /// <summary>Primary transport lost, traffic on a fallback.</summary>
    DegradedComm = 1,
    /// <summary>Signal inputs impaired: cached features, then a conservative heuristic.</summary>
    DegradedSignal = 2,
    /// <summary>Manage-only: no new entries; stops and take-profits kept.</summary>
    DegradedExec = 3,
    /// <summary>Risk veto or broken invariant: new orders frozen, flatten if configured; only an operator leaves it.</summary>
    SafeMode = 4,
}

public static class ModeNames
{
    /// <summary>The operator-facing name (NORMAL, DEGRADED_COMM, ...), as in the runbooks and the CLI.</summary>
    public static string Display(this Mode mode) => mode switch
    {
        Mode.Normal => "NORMAL",
        Mode.DegradedComm => "DEGRADED_COMM",
        Mode.DegradedSignal => "DEGRADED_SIGNAL",
        Mode.DegradedExec => "DEGRADED_EXEC",
        Mode.SafeMode => "SAFE_MODE",
        _ => mode.ToString(),
    };

    /// <summary>The degraded mode a failing path leads to.</summary>
    public static Mode DegradedModeOf(HealthPath path) => path switch
    {
        HealthPath.Comm => Mode.DegradedComm,
        HealthPath.Signal => Mode.DegradedSignal,
        HealthPath.Exec => Mode.DegradedExec,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown health path"),
    };
}

public enum ConditionKind
{
    /// <summary>A path's health score fell below its entry threshold.</summary>
    HealthBelowThreshold,
    /// <summary>A transport used up its restart budget; traffic moved to a fallback.</summary>
    TransportBudgetExhausted,
    /// <summary>A risk agent vetoed trading.</summary>
    RiskVeto,
    /// <summary>An INVARIANT_VIOLATION or PROGRAMMING_ERROR fault.</summary>
    SafetyFault,
    /// <summary>A dependency configured as essential (the journal) was lost: halt instead of managing.</summary>
    DependencyHalt,
}

/// <summary>
/// One reason the engine is not NORMAL. Several may hold at once; the most severe sets the mode and the rest stay
/// listed, so clearing one shows what is still wrong. <see cref="Path"/> is the path whose verification clears it
/// (null for SAFE_MODE conditions, which only an operator clears).
/// </summary>
public sealed record ModeCondition(string Key, ConditionKind Kind, Mode Mode, HealthPath? Path, string Cause, DateTimeOffset Since)
{
    public bool OperatorOnly => Mode == Mode.SafeMode;

    public override string ToString() => $"{Mode.Display()} since {Since:O}: {Cause}";
}
