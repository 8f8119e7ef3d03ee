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

    /// <summary>
    /// At start the bridge climbs to its best transport (spool, pipe, then the socket once the EA connects): routes on
    /// a fallback before the primary first came up are not a degradation for this long after the bridge's first route.
    /// If the primary is still not up then, DEGRADED_COMM is entered naming the transport in use.
    /// </summary>
    public TimeSpan PrimaryGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Snapshot after this many persisted events, so recovery replays a bounded tail.</summary>
    public int SnapshotEvery { get; init; } = 200;

    public static ModeActorSettings Default { get; } = new();
}

/// <summary>
/// The bridge's RouteChanged as the engine sees it (HueyP.Engine does not reference HueyP.Bridge): the node republishes
/// every RouteChanged(from, to, reason) as this, transport names in lower case (socket, pipe, spool), null for "none".
/// </summary>
public sealed record TransportRouteChanged(string? From, string? To, string Reason)
{
    /// <summary>The bridge's transports, best first: the order its router fails over in.</summary>
    public static IReadOnlyList<string> Priority { get; } = ["socket", "pipe", "spool"];

    /// <summary>
    /// Traffic left a transport for a worse one or for none: a link was lost. The first route from none (startup), the
    /// climb to a better transport and the return to a repaired one are not losses. Unknown names rank last.
    /// </summary>
    public bool IsLoss => From is not null && (To is null || Rank(To) > Rank(From));

    private static int Rank(string transport)
    {
        for (var i = 0; i < Priority.Count; i++)
            if (string.Equals(Priority[i], transport, StringComparison.OrdinalIgnoreCase)) return i;
        return Priority.Count;
    }
}

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
    DateTimeOffset AsOf)
{
    /// <summary>Repairs running or recently finished (runbook actors' progress), oldest first.</summary>
    public IReadOnlyList<Repair.RepairProgress> Repairs { get; init; } = [];

    /// <summary>Mode events decided while the journal breaker was open, not journaled yet.</summary>
    public int UnjournaledEvents { get; init; }

    /// <summary>The operator's hold on new entries, null when none (<see cref="Mode"/> is then the ladder's own).</summary>
    public EntryHold? Hold { get; init; }

    /// <summary>The mode the health ladder alone calls for; differs from <see cref="Mode"/> only while a hold raises it.</summary>
    public Mode LadderMode { get; init; }
}

/// <summary>The newest <paramref name="Limit"/> transitions (all kept ones when null), oldest first.</summary>
public sealed record GetModeHistory(int? Limit = null);

public sealed record ModeHistory(IReadOnlyList<ModeChanged> Transitions);

/// <summary>
/// The operator's hold on new entries: while on, the engine is at least DEGRADED_EXEC (manage-only: no new entries;
/// exits, stops and take-profits still work), whatever the health gates say, until an operator releases it. Journaled
/// with who and why, so it survives a restart. Answered with <see cref="ModeCommandResult"/>.
/// </summary>
public sealed record HoldEntries(bool On, string Reason, string Who);

/// <summary>The hold in force: who put it on, why and since when.</summary>
public sealed record EntryHold(string Reason, string Who, DateTimeOffset Since);

/// <summary>
/// A hold put on or released (journaled under <see cref="ModeActor.PersistenceIdValue"/>, published on the EventStream).
/// <see cref="From"/> and <see cref="To"/> are the engine's effective mode before and after; equal when the ladder
/// already held it at DEGRADED_EXEC or worse.
/// </summary>
public sealed record EntryHoldChanged(DateTimeOffset At, bool Held, string Reason, string Who, Mode From, Mode To)
{
    public string Cause => Held ? $"new entries held by {Who}: {Reason}" : $"new entries released by {Who}: {Reason}";
}
