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

/// <summary>
/// Published on the actor system's event stream by /user/cluster whenever this node's role changes (standby, starting,
/// active, stopping, releasing, leaving), with the epoch of the term it concerns: subscribe instead of polling
/// <see cref="GetClusterStatus"/>. Only "active" means the node trades; every other role refuses trading traffic.
/// </summary>
public sealed record ClusterRoleChanged(string Node, string Role, string PreviousRole, long Epoch)
{
    public bool Trading => Role == "active";
}
