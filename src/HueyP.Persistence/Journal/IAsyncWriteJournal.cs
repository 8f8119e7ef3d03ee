namespace HueyP.Persistence.Journal;

/// <summary>The journal plugin contract, shaped like Akka.Persistence's AsyncWriteJournal.</summary>
public interface IAsyncWriteJournal
{
    /// <summary>
    /// Stores the writes and completes only after their transaction committed. The result has one entry per
    /// AtomicWrite: null when stored, or the rejection (e.g. <see cref="EventRejectedException"/>) when that
    /// write was refused without affecting the others. A storage failure or a <see cref="JournalConflictException"/>
    /// faults the returned Task instead, and then none of the call's writes were stored.
    /// Cancelling only abandons the wait: a write already queued may still commit.
    /// </summary>
    Task<IReadOnlyList<Exception?>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> messages, CancellationToken cancellationToken = default);

    /// <summary>Replays non-deleted events with fromSequenceNr &lt;= sequence_nr &lt;= toSequenceNr, at most max of them, in order.</summary>
    Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence number ever stored for the id (deleted events count), or 0. fromSequenceNr is only a hint.</summary>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default);

    /// <summary>Marks events up to toSequenceNr (inclusive) deleted: never replayed again, the highest sequence number is kept.</summary>
    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);
}
