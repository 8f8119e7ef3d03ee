namespace HueyP.Cluster.Lease;

public enum LeaseRole
{
    /// <summary>Not holding the lease; tries to acquire it (unless holding back after a step-down).</summary>
    Standby,

    /// <summary>Holds the lease and renews it; the engine runs.</summary>
    Active,

    /// <summary>Graceful step-down: still holds and renews the lease while the engine drains and stops.</summary>
    Releasing,

    /// <summary>Lost the lease; waits until the engine has stopped before it may compete again.</summary>
    Stopping,
}

/// <summary>Where the lease stands. Times are monotonic timestamps of the node's TimeProvider.</summary>
public sealed record LeaseState(LeaseRole Role, long Epoch, long ValidUntil, long HoldUntil, bool InFlight)
{
    public static readonly LeaseState Initial = new(LeaseRole.Standby, 0, 0, 0, false);
}

/// <summary>What the lease actor must do after a decision.</summary>
public enum LeaseCommand
{
    None,
    TryAcquire,
    Renew,
    /// <summary>Tell the member: active with the state's epoch.</summary>
    AnnounceActive,
    /// <summary>Tell the member: the lease is lost; stop at once.</summary>
    AnnounceLost,
    /// <summary>Tell the member: drain and stop, the lease is still ours.</summary>
    AnnounceReleasing,
    /// <summary>Release the lease row and the session.</summary>
    Release,
}

/// <summary>
/// The lease's decisions without I/O or actors, so every transition is tested on plain values. The local validity
/// (<see cref="LeaseState.ValidUntil"/>) counts from when a successful renewal was *sent*, so the node gives up no
/// later than the database could expire it, whatever the two clocks say.
/// </summary>
public static class LeaseRules
{
    public static (LeaseState, LeaseCommand) Tick(LeaseState state, long now) => state.Role switch
    {
        LeaseRole.Standby when state.InFlight || now < state.HoldUntil => (state, LeaseCommand.None),
        LeaseRole.Standby => (state with { InFlight = true }, LeaseCommand.TryAcquire),
        LeaseRole.Active or LeaseRole.Releasing when now >= state.ValidUntil => (state with { Role = LeaseRole.Stopping, InFlight = false }, LeaseCommand.AnnounceLost),
        LeaseRole.Active or LeaseRole.Releasing when state.InFlight => (state, LeaseCommand.None),
        LeaseRole.Active or LeaseRole.Releasing => (state with { InFlight = true }, LeaseCommand.Renew),
        _ => (state, LeaseCommand.None),
    };

    public static (LeaseState, LeaseCommand) Acquired(LeaseState state, long epoch, long sentAt, long ttl) =>
        state.Role == LeaseRole.Standby
            ? (state with { Role = LeaseRole.Active, Epoch = epoch, ValidUntil = sentAt + ttl, InFlight = false }, LeaseCommand.AnnounceActive)
            // Cannot happen while acquisitions are only sent from Standby; releasing is the safe answer if it does.
            : (state with { InFlight = false }, LeaseCommand.Release);

    public static LeaseState NotAcquired(LeaseState state) => state with { InFlight = false };

    public static LeaseState Renewed(LeaseState state, long epoch, long sentAt, long ttl) =>
        state.Role is LeaseRole.Active or LeaseRole.Releasing && state.Epoch == epoch
            ? state with { ValidUntil = Math.Max(state.ValidUntil, sentAt + ttl), InFlight = false }
            : state;

    public static (LeaseState, LeaseCommand) Lost(LeaseState state, long epoch) =>
        state.Role is LeaseRole.Active or LeaseRole.Releasing && state.Epoch == epoch
            ? (state with { Role = LeaseRole.Stopping, InFlight = false }, LeaseCommand.AnnounceLost)
            : (state, LeaseCommand.None);

    public static (LeaseState, LeaseCommand) StepDown(LeaseState state) =>
        state.Role == LeaseRole.Active ? (state with { Role = LeaseRole.Releasing }, LeaseCommand.AnnounceReleasing) : (state, LeaseCommand.None);

    /// <summary>The member stopped the engine of <paramref name="epoch"/>; hold back after a step-down so the other node wins.</summary>
    public static (LeaseState, LeaseCommand) EngineStopped(LeaseState state, long epoch, long now, long stepDownHold) => state.Role switch
    {
        LeaseRole.Releasing when state.Epoch == epoch => (state with { Role = LeaseRole.Standby, HoldUntil = now + stepDownHold, InFlight = false }, LeaseCommand.Release),
        LeaseRole.Stopping when state.Epoch == epoch => (state with { Role = LeaseRole.Standby, HoldUntil = now, InFlight = false }, LeaseCommand.None),
        _ => (state, LeaseCommand.None),
    };
}
