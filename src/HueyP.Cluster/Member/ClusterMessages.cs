using HueyP.Cluster.Lease;
using HueyP.Cluster.Standby;

namespace HueyP.Cluster.Member;

public sealed record GetClusterStatus
{
    public static readonly GetClusterStatus Instance = new();
}

/// <summary>
/// This node's view of the pair: its own role and term, the lease row (database clock), every member's last report,
/// and how far its journal tail lags the journal's head.
/// </summary>
public sealed record ClusterStatus(
    string Node,
    string Role,
    long Epoch,
    double LeaseValidForMs,
    string? LastLoss,
    LeaseView? Lease,
    IReadOnlyList<MemberView> Members,
    TailProgress Tail,
    long JournalHead,
    long FencedWrites,
    string? Error);

/// <summary>Reply to <see cref="StepDown"/> sent to /user/cluster.</summary>
public sealed record StepDownAccepted(bool WasActive, long Epoch);

/// <summary>The node is shutting down: end the term in order and close the fence; answered with <see cref="Done"/>.</summary>
public sealed record Leave
{
    public static readonly Leave Instance = new();
    public static readonly object Done = new LeaveDone();

    private sealed record LeaveDone;
}
