using HueyP.Persistence.Snapshots;

namespace HueyP.Persistence.PersistentActors;

/// <summary>Delivered to the recovery handlers once the history has been replayed; commands are processed after it.</summary>
public sealed class RecoveryCompleted
{
    public static readonly RecoveryCompleted Instance = new();

    private RecoveryCompleted() { }
}

/// <summary>Delivered to the recovery handlers first when a snapshot was found; events after it follow.</summary>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

public sealed record SaveSnapshotSuccess(SnapshotMetadata Metadata);

public sealed record SaveSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

public sealed record DeleteSnapshotsSuccess(SnapshotSelectionCriteria Criteria);

public sealed record DeleteSnapshotsFailure(SnapshotSelectionCriteria Criteria, Exception Cause);

public sealed record DeleteMessagesSuccess(long ToSequenceNr);

public sealed record DeleteMessagesFailure(long ToSequenceNr, Exception Cause);

/// <summary>Recovery saw no progress for <see cref="PersistenceSettings.RecoveryTimeout"/>.</summary>
public sealed class RecoveryTimedOutException(string persistenceId, TimeSpan timeout)
    : Exception($"recovery of {persistenceId} made no progress for {timeout.TotalSeconds:0.#} s");
