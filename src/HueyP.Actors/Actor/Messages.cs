namespace HueyP.Actors;

/// <summary>Messages the kernel interprets before the actor's own behaviour sees them.</summary>
public interface IAutoReceivedMessage;

/// <summary>Marks messages that do not reset the receive timeout.</summary>
public interface INotInfluenceReceiveTimeout;

/// <summary>Stops the actor once processed, after the messages queued before it.</summary>
public sealed class PoisonPill : IAutoReceivedMessage
{
    public static readonly PoisonPill Instance = new();
    private PoisonPill() { }
    public override string ToString() => "<PoisonPill>";
}

/// <summary>Makes the actor fail with <see cref="ActorKilledException"/> (stopped by the default strategy).</summary>
public sealed class Kill : IAutoReceivedMessage
{
    public static readonly Kill Instance = new();
    private Kill() { }
    public override string ToString() => "<Kill>";
}

/// <summary>Sent to watchers when the watched actor has stopped.</summary>
public sealed record Terminated(IActorRef ActorRef, bool ExistenceConfirmed, bool AddressTerminated)
    : IAutoReceivedMessage, IDeadLetterSuppression;

/// <summary>Asks any actor for its reference; answered with <see cref="ActorIdentity"/>.</summary>
public sealed record Identify(object? MessageId) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

public sealed record ActorIdentity(object? MessageId, IActorRef? Subject);

/// <summary>Delivered when no message arrived within the receive timeout.</summary>
public sealed class ReceiveTimeout : IPossiblyHarmful
{
    public static readonly ReceiveTimeout Instance = new();
    private ReceiveTimeout() { }
    public override string ToString() => "<ReceiveTimeout>";
}

/// <summary>Marker for messages that may be harmful to deliver to arbitrary actors.</summary>
public interface IPossiblyHarmful;

/// <summary>Messages that should not be logged as dead letters.</summary>
public interface IDeadLetterSuppression;

public static class Status
{
    public sealed record Success(object? Status);

    public sealed record Failure(Exception Cause, object? State = null);
}

/// <summary>The canonical "done" acknowledgement.</summary>
public sealed class Done
{
    public static readonly Done Instance = new();
    private Done() { }
    public override string ToString() => "Done";
}
