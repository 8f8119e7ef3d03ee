namespace HueyP.Engine.Ledger;

/// <summary>
/// How far a journal-tail follower has read one persistent actor's stream, and whether it saw every event of it in
/// order: only then is its fold what the actor's own replay would hold, and fit to seed the actor's recovery.
/// </summary>
public sealed class StreamCursor(string persistenceId)
{
    public string PersistenceId { get; } = persistenceId;

    /// <summary>Sequence number of the last event read (0: none yet).</summary>
    public long SequenceNr { get; private set; }

    /// <summary>Why the fold can no longer seed a recovery (a gap, an event it could not take), or null.</summary>
    public string? Unseedable { get; private set; }

    /// <summary>Moves to <paramref name="sequenceNr"/>; false when that event was read already (the tail re-reads after an error).</summary>
    public bool Advance(long sequenceNr)
    {
        if (sequenceNr <= SequenceNr) return false;
        if (sequenceNr != SequenceNr + 1)
            Unseedable ??= $"events #{SequenceNr + 1}..#{sequenceNr - 1} of {PersistenceId} never reached the tail";
        SequenceNr = sequenceNr;
        return true;
    }

    /// <summary>The fold refused the event at the current position: the actor's replay would have failed there too.</summary>
    public void FoldFailed(Exception failure) => Unseedable ??= $"{PersistenceId} #{SequenceNr} could not be folded: {failure.Message}";

    /// <summary>True when a seed at <see cref="SequenceNr"/> would be exact.</summary>
    public bool Seedable => SequenceNr > 0 && Unseedable is null;
}
