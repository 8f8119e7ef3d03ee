using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Health;

/// <summary>
/// An engine actor that journals its state. It outlives a journal outage: a write that fails because the journal is
/// unreachable is held and retried in order (<see cref="ReceivePersistentActor.HoldFailedWrites"/>) — stopping would
/// lose what it was told meanwhile, and its recovery would need the unreachable journal. Every failed write is
/// published as <see cref="JournalWriteFailed"/>, so the journal breaker (and through it the mode ladder) hears of it
/// at once instead of at the probe's next write.
/// </summary>
public abstract class JournalingActor : ReceivePersistentActor
{
    protected override bool HoldFailedWrites => true;

    protected override void OnWritesHeld(Exception cause, int events, int attempt, TimeSpan retryIn)
    {
        Context.System.EventStream.Publish(new JournalWriteFailed(PersistenceId, cause.GetBaseException().Message));
        base.OnWritesHeld(cause, events, attempt, retryIn);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Context.System.EventStream.Publish(new JournalWriteFailed(PersistenceId, cause.GetBaseException().Message));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
