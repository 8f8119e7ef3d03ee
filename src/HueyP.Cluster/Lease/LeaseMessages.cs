namespace HueyP.Cluster.Lease;

/// <summary>To the lease's parent: this node holds the lease with this epoch; start trading.</summary>
public sealed record LeaseAcquired(long Epoch);

/// <summary>To the lease's parent: the lease is gone; stop accepting commands at once and stop the engine.</summary>
public sealed record LeaseLost(long Epoch, string Reason);

/// <summary>To the lease's parent: graceful step-down; drain and stop the engine while the lease is still held.</summary>
public sealed record LeaseReleasing(long Epoch);

/// <summary>From the parent: the engine of this epoch has stopped; the lease may be released or competed for again.</summary>
public sealed record EngineStopped(long Epoch);

/// <summary>Hand the lease over: drain, stop, release, and hold back for step-down-hold.</summary>
public sealed record StepDown
{
    public static readonly StepDown Instance = new();
}

public sealed record GetLeaseStatus
{
    public static readonly GetLeaseStatus Instance = new();
}

/// <summary>The lease as this node sees it; <see cref="ValidForMs"/> is its own conservative view of the remaining TTL.</summary>
public sealed record LeaseStatus(LeaseRole Role, long Epoch, double ValidForMs, string? LastLoss);
