using HueyP.Domain.Health;
using HueyP.Domain.Modes;

namespace HueyP.Engine.Modes;

/// <summary>How the mode actor runs; the ladder's thresholds themselves are <see cref="ModeOptions"/>.</summary>
public sealed record ModeActorSettings
{
    public ModeOptions Options { get; init; } = ModeOptions.Default;

    /// <summary>How often a <see cref="ModeTick"/> lets a dwell complete between health reports.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The transport that counts as the primary route (the bridge's socket); a route away from it is DEGRADED_COMM.</summary>
    public string PrimaryTransport { get; init; } = "socket";

    /// <summary>Snapshot after this many persisted events, so recovery replays a bounded tail.</summary>
    public int SnapshotEvery { get; init; } = 200;

    public static ModeActorSettings Default { get; } = new();
}

/// <summary>
/// The bridge's RouteChanged as the engine sees it (HueyP.Engine does not reference HueyP.Bridge): the node republishes
/// every RouteChanged(from, to, reason) as this, transport names in lower case (socket, pipe, spool), null for "none".
/// </summary>
public sealed record TransportRouteChanged(string? From, string? To, string Reason);

/// <summary>Answer to every input: accepted (maybe with a transition) or refused with the error, nothing changed.</summary>
public sealed record ModeCommandResult(bool Accepted, Mode Mode, ModeChanged? Transition, string? Error)
{
    public static ModeCommandResult Refused(Mode mode, string error) => new(false, mode, null, error);
}

public sealed record GetMode
{
    public static readonly GetMode Instance = new();
}

/// <summary>
/// "Where are we and why": the mode, every active condition with its cause (most severe first), what is allowed,
/// and how long the recovery dwell still has to run (null when nothing is degraded; zero when only verification is missing).
/// </summary>
public sealed record ModeStatus(
    Mode Mode,
    string ModeName,
    IReadOnlyList<ModeCondition> Conditions,
    ModePermissions Permissions,
    IReadOnlyDictionary<HealthPath, DateTimeOffset> VerifiedAt,
    DateTimeOffset? DwellSince,
    TimeSpan? DwellRemaining,
    DateTimeOffset? RecoveryEta,
    ModeChanged? LastTransition,
    DateTimeOffset AsOf);

/// <summary>The newest <paramref name="Limit"/> transitions (all kept ones when null), oldest first.</summary>
public sealed record GetModeHistory(int? Limit = null);

public sealed record ModeHistory(IReadOnlyList<ModeChanged> Transitions);
