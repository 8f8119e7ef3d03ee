namespace HueyP.Cluster.Lease;

/// <summary>The lease row as the database sees it, read with the database's clock.</summary>
public sealed record LeaseView(string LeaseName, string? Holder, long Epoch, DateTimeOffset ExpiresAt, DateTimeOffset DatabaseNow, DateTimeOffset? AcquiredAt)
{
    public bool Expired => ExpiresAt <= DatabaseNow;
}

/// <summary>One node's last report in the member table.</summary>
public sealed record MemberView(string Node, string Role, long Epoch, string AdminEndpoint, long TailOffset, long LagEvents, double LagMs, DateTimeOffset SeenAt);

/// <summary>What a node reports about itself each tick.</summary>
public sealed record MemberReport(string Role, long Epoch, long TailOffset, long LagEvents, double LagMs);

public abstract record AcquireOutcome;

/// <summary>This node holds the lease now; <see cref="Epoch"/> is its fencing token.</summary>
public sealed record Acquired(long Epoch, DateTimeOffset ExpiresAt) : AcquireOutcome;

/// <summary>Another session holds the lease; when it had expired, that session was ended so the next try can win.</summary>
public sealed record HeldByOther(LeaseView Lease, bool EndedStaleHolder) : AcquireOutcome;

public abstract record RenewOutcome;

public sealed record Renewed(DateTimeOffset ExpiresAt) : RenewOutcome;

public sealed record RenewRefused(string Reason) : RenewOutcome;

/// <summary>The lease's storage: one PostgreSQL session per node that holds the advisory lock while active.</summary>
public interface ILeaseStore : IAsyncDisposable
{
    Task EnsureSchemaAsync(CancellationToken ct);

    /// <summary>Takes the advisory lock and, with it, the lease (epoch + 1). Throws when the database cannot be reached.</summary>
    Task<AcquireOutcome> TryAcquireAsync(CancellationToken ct);

    /// <summary>Extends the lease if this node still holds <paramref name="epoch"/>; a lost connection is a refusal.</summary>
    Task<RenewOutcome> RenewAsync(long epoch, CancellationToken ct);

    /// <summary>Expires the lease now and ends the session (its advisory lock goes with it).</summary>
    Task ReleaseAsync(long epoch, CancellationToken ct);

    /// <summary>Drops the session without touching the row (the advisory lock is released by PostgreSQL).</summary>
    Task AbandonAsync();

    Task<LeaseView> ReadAsync(CancellationToken ct);

    Task ReportAsync(MemberReport report, CancellationToken ct);

    Task<IReadOnlyList<MemberView>> MembersAsync(CancellationToken ct);

    /// <summary>The highest ordering in the journal (0 when empty), for the standby's lag.</summary>
    Task<long> JournalHeadAsync(CancellationToken ct);
}
