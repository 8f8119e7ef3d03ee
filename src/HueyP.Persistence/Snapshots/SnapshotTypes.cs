namespace HueyP.Persistence.Snapshots;

/// <summary>Identifies a snapshot. Timestamp is UTC; left default on save, the store stamps the current time.</summary>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTime Timestamp = default);

public sealed record SelectedSnapshot(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Which snapshots match; every bound is inclusive, as in Akka.Persistence.</summary>
public sealed record SnapshotSelectionCriteria(long MaxSequenceNr, DateTime MaxTimestamp, long MinSequenceNr = 0, DateTime MinTimestamp = default)
{
    public SnapshotSelectionCriteria(long maxSequenceNr) : this(maxSequenceNr, DateTime.MaxValue) { }

    public static SnapshotSelectionCriteria Latest { get; } = new(long.MaxValue, DateTime.MaxValue);
    public static SnapshotSelectionCriteria None { get; } = new(0L, DateTime.MinValue);
}

/// <summary>The snapshot store contract, shaped like Akka.Persistence's SnapshotStore.</summary>
public interface ISnapshotStore
{
    /// <summary>Stores the snapshot; a second save at the same sequence number replaces the first.</summary>
    Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default);

    /// <summary>The matching snapshot with the highest sequence number, or null.</summary>
    Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshot at metadata's persistence id and sequence number.</summary>
    Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default);

    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);
}
