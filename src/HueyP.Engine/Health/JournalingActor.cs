using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Health;

/// <summary>
/// An engine actor that journals its state: a failed write is published as <see cref="JournalWriteFailed"/>, so the
/// journal breaker (and through it the mode ladder) hears of it at once instead of at the probe's next write.
/// </summary>
public abstract class JournalingActor : ReceivePersistentActor
{
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Context.System.EventStream.Publish(new JournalWriteFailed(PersistenceId, cause.GetBaseException().Message));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
