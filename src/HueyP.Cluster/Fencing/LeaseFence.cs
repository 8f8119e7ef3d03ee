using HueyP.Persistence;
using HueyP.Persistence.Journal;

namespace HueyP.Cluster.Fencing;

/// <summary>
/// The journal's write fence for a candidate node: an event row is inserted only if, in the same statement, the lease
/// row still names this node with the epoch the node writes under. The lease row is read FOR SHARE, so a takeover's
/// UPDATE waits for an insert in progress, and an insert that waited behind a takeover re-reads the row and finds the
/// new epoch: the stale insert stores nothing and the journal raises <see cref="WriteFencedException"/>.
/// Between terms the fence is closed (epoch -1, which no lease ever has): nothing can be written at all.
/// </summary>
public sealed class LeaseFence(ClusterSettings settings) : IWriteFence
{
    public const long Closed = -1;
    private long _epoch = Closed;

    public long CurrentEpoch => Volatile.Read(ref _epoch);

    public bool IsOpen => CurrentEpoch != Closed;

    /// <summary>From now on writes carry this epoch (the node just acquired the lease with it).</summary>
    public void Open(long epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        Volatile.Write(ref _epoch, epoch);
    }

    /// <summary>Every write from now on is rejected by the database, whatever the actors still try.</summary>
    public void Close() => Volatile.Write(ref _epoch, Closed);

    public string SqlPredicate(JournalProvider provider) => provider switch
    {
        // The lease name is validated as [A-Za-z0-9_-]; quoted as a literal all the same.
        JournalProvider.PostgreSql =>
            $"EXISTS (SELECT 1 FROM {settings.LeaseTable} AS lease WHERE lease.name = '{settings.LeaseName.Replace("'", "''")}' " +
            "AND lease.holder = @writer_id AND lease.epoch = @writer_epoch FOR SHARE)",
        _ => throw new JournalConfigurationException(nameof(JournalSettings.WriteFence),
            "cluster fencing needs the PostgreSQL journal (hueyp.persistence.provider = postgresql)"),
    };
}
