namespace HueyP.Domain.Modes;

public enum SignalSource
{
    /// <summary>Live features from the primary data path.</summary>
    Primary,
    /// <summary>The last good features, while they are young enough.</summary>
    CachedFeatures,
    /// <summary>Cache too old: a deliberately cautious rule (smaller size, no new risk at doubtful levels).</summary>
    ConservativeHeuristic,
}

public enum TransportRoute
{
    Primary,
    Fallback,
}

/// <summary>What the engine may do in a mode. Exits (stops, take-profits) are always managed: protection is never frozen.</summary>
public sealed record ModePermissions(
    Mode Mode,
    bool AllowsNewEntries,
    bool AllowsExitManagement,
    bool FlattenPositions,
    SignalSource SignalSource,
    TransportRoute Transport)
{
    /// <summary>The table by mode alone; <see cref="ModeManager.Permissions"/> refines signal source and route from the conditions.</summary>
    public static ModePermissions For(Mode mode, bool flattenOnSafeMode = false) => mode switch
    {
        Mode.Normal => new(mode, true, true, false, SignalSource.Primary, TransportRoute.Primary),
        Mode.DegradedComm => new(mode, true, true, false, SignalSource.Primary, TransportRoute.Fallback),
        Mode.DegradedSignal => new(mode, true, true, false, SignalSource.CachedFeatures, TransportRoute.Primary),
        Mode.DegradedExec => new(mode, false, true, false, SignalSource.Primary, TransportRoute.Primary),
        Mode.SafeMode => new(mode, false, true, flattenOnSafeMode, SignalSource.Primary, TransportRoute.Primary),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown mode"),
    };
}
