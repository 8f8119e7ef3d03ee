namespace HueyP.Persistence.PersistentActors;

/// <summary>
/// A snapshot held in memory (a warm standby's projection, say) that a persistent actor's next recovery may start from
/// instead of its stored snapshot: <paramref name="Snapshot"/> must be exactly what the actor with
/// <paramref name="PersistenceId"/> would hold after replaying its stream up to <paramref name="SequenceNr"/>, in the
/// type its <see cref="SnapshotOffer"/> handler takes. The events after it are still replayed from the journal, so a
/// seed that lags behind costs only time, never correctness.
/// </summary>
public sealed record RecoverySeed(string PersistenceId, long SequenceNr, object Snapshot);

/// <summary>
/// A projection's state folded from the journal's events in offset order up to and including <paramref name="Offset"/>
/// (a warm standby's, say): whoever starts that projection next folds only the events after it instead of all of them.
/// </summary>
public sealed record ProjectionSeed(string Name, long Offset, object State);

/// <summary>What a recovery did with the seed it was offered.</summary>
public enum SeedOutcome
{
    /// <summary>Recovery started from the seed.</summary>
    Used,

    /// <summary>The stored snapshot is at least as new: recovery started from it.</summary>
    StoredSnapshotAsNew,

    /// <summary>The journal holds fewer events than the seed claims to have folded (it is not this journal's): ignored.</summary>
    AheadOfJournal,

    /// <summary>The actor's snapshot handler refused it (wrong type, say): the actor restarted and recovered without it.</summary>
    Refused,
}

/// <summary>How the recovery that took a seed went (one per persistence id, for the latest offer).</summary>
public sealed record SeedReport(string PersistenceId, long SeedSequenceNr, SeedOutcome Outcome, long RecoveredFromSequenceNr, long EventsReplayed,
    long HighestSequenceNr);

/// <summary>The seed's snapshot handler threw; the actor restarts, and its next incarnation recovers without the (consumed) seed.</summary>
public sealed class RecoverySeedRefusedException(string persistenceId, long sequenceNr, Exception cause)
    : Exception($"{persistenceId}: the recovery seed at #{sequenceNr} was refused by the snapshot handler ({cause.Message}); recovering again without it", cause);
