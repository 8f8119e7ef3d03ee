using HueyP.Domain.Ledger;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Query;

namespace HueyP.Engine.Ledger;

/// <summary>
/// The ledger's stream (<see cref="LedgerActor.Id"/>) followed from a journal tail: the state the ledger actor would
/// hold after replaying its events up to <see cref="SequenceNr"/> — the same <see cref="LedgerMachine.Apply"/> from the
/// same empty account — so it can seed the actor's recovery on takeover (<see cref="Seed"/>). After a gap or an event
/// the fold cannot take it offers no seed any more, and the actor recovers from its own snapshot as before.
/// Not thread-safe: one tail feeds it; readers take a <see cref="Seed"/> under the owner's lock.
/// </summary>
public sealed class LedgerStreamFollower(LedgerSettings settings)
{
    private readonly StreamCursor _cursor = new(LedgerActor.Id);

    /// <summary>The ledger state folded so far.</summary>
    public LedgerState State { get; private set; } = settings.Empty();

    /// <summary>Sequence number of the last ledger event read (0: none yet).</summary>
    public long SequenceNr => _cursor.SequenceNr;

    /// <summary>Why no seed can be offered any more, or null while the fold is exact.</summary>
    public string? Unseedable => _cursor.Unseedable;

    /// <summary>
    /// Folds the envelope when it is a ledger event of the ledger's stream; returns whether it was one. An event the fold
    /// cannot take throws, as it would in `hueyp state rebuild`, and leaves the state as it was.
    /// </summary>
    public bool Apply(EventEnvelope envelope)
    {
        if (envelope.PersistenceId != LedgerActor.Id || !_cursor.Advance(envelope.SequenceNr)) return false;
        // The actor ignores what is not a ledger event too; only the sequence number moves.
        if (envelope.Event is not ILedgerEvent e) return false;
        try
        {
            State = LedgerMachine.Apply(State, e);
        }
        catch (Exception failure)
        {
            _cursor.FoldFailed(failure);
            throw;
        }

        return true;
    }

    /// <summary>The ledger actor's recovery seed, in its own snapshot type; null before the first event or once unseedable.</summary>
    public RecoverySeed? Seed() => _cursor.Seedable ? new RecoverySeed(LedgerActor.Id, SequenceNr, LedgerSnapshot.From(State)) : null;
}
