using HueyP.Engine.Ledger;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Query;

namespace HueyP.Engine.Orders;

/// <summary>
/// The order intake's stream (<see cref="OrderIntakeActor.Id"/>) followed from a journal tail, folded by the same
/// <see cref="IntakeJournalState"/> the intake's recovery uses, so that on takeover it can seed that recovery
/// (<see cref="Seed"/>): the intake then replays only the events after it instead of every intent ever registered.
/// After a gap or an event the fold cannot take it offers no seed any more. Not thread-safe: one tail feeds it.
/// </summary>
public sealed class IntakeStreamFollower
{
    private readonly StreamCursor _cursor = new(OrderIntakeActor.Id);
    private readonly IntakeJournalState _state = new();

    public long SequenceNr => _cursor.SequenceNr;

    public string? Unseedable => _cursor.Unseedable;

    /// <summary>Folds the envelope when it is from the intake's stream; returns whether it was. A refused event throws.</summary>
    public bool Apply(EventEnvelope envelope)
    {
        if (envelope.PersistenceId != OrderIntakeActor.Id || !_cursor.Advance(envelope.SequenceNr)) return false;
        try
        {
            _state.Apply(envelope.Event);
        }
        catch (Exception failure)
        {
            _cursor.FoldFailed(failure);
            throw;
        }

        return true;
    }

    /// <summary>The canonical rendering of what the fold holds (<see cref="IntakeJournalState.Render"/>).</summary>
    public string Render() => _state.Render();

    /// <summary>The intake's recovery seed (a copy: the follower keeps folding); null before the first event or once unseedable.</summary>
    public RecoverySeed? Seed() => _cursor.Seedable ? new RecoverySeed(OrderIntakeActor.Id, SequenceNr, IntakeSnapshot.From(_state)) : null;
}
