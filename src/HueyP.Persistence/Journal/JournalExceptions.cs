namespace HueyP.Persistence.Journal;

/// <summary>A setting is missing or malformed; <see cref="Setting"/> names it.</summary>
public sealed class JournalConfigurationException(string setting, string problem, Exception? inner = null)
    : Exception($"JournalSettings.{setting}: {problem}", inner)
{
    public string Setting { get; } = setting;
}

/// <summary>
/// The event was not written because of the event itself (cannot be serialized, too large, bad tag).
/// Reported per <see cref="AtomicWrite"/>; the other writes of the same call are unaffected.
/// </summary>
public sealed class EventRejectedException(string persistenceId, long sequenceNr, string reason, Exception? inner = null)
    : Exception($"Event rejected for persistence id '{persistenceId}', sequence number {sequenceNr}: {reason}", inner)
{
    public string PersistenceId { get; } = persistenceId;
    public long SequenceNr { get; } = sequenceNr;
}

/// <summary>
/// Another writer already stored this sequence number for this persistence id (split brain or a bug).
/// Nothing was overwritten; the writing actor's state is stale and it must stop.
/// </summary>
public sealed class JournalConflictException(string persistenceId, long sequenceNr, string? existingWriterId, Exception? inner = null)
    : Exception(
        $"Journal conflict: persistence id '{persistenceId}' already has sequence number {sequenceNr}" +
        (existingWriterId is null ? "" : $" (written by writer '{existingWriterId}')") +
        "; another writer is active for this persistence id. Nothing was overwritten.", inner)
{
    public string PersistenceId { get; } = persistenceId;
    public long SequenceNr { get; } = sequenceNr;
}

/// <summary>The configured <see cref="IWriteFence"/> refused the insert: this writer's epoch is no longer current.</summary>
public sealed class WriteFencedException(string writerId, long writerEpoch)
    : Exception($"Write fenced: writer '{writerId}' with epoch {writerEpoch} is no longer allowed to write to the journal. Nothing from this batch was written.")
{
    public string WriterId { get; } = writerId;
    public long WriterEpoch { get; } = writerEpoch;
}

/// <summary>The database holds a newer schema than this build knows how to use.</summary>
public sealed class JournalSchemaException(string message) : Exception(message);
