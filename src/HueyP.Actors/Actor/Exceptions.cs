namespace HueyP.Actors;

public class AkkaException : Exception
{
    public AkkaException(string message, Exception? cause = null) : base(message, cause) { }
}

public class InvalidActorNameException : AkkaException
{
    public InvalidActorNameException(string message) : base(message) { }
}

/// <summary>Thrown (as failure cause) when an actor's constructor or PreStart throws.</summary>
public class ActorInitializationException : AkkaException
{
    public ActorInitializationException(IActorRef? actor, string message, Exception? cause = null)
        : base(message, cause) => Actor = actor;

    public IActorRef? Actor { get; }
}

/// <summary>The failure caused by a <see cref="Kill"/> message.</summary>
public sealed class ActorKilledException : AkkaException
{
    public ActorKilledException(string message = "Kill") : base(message) { }
}

/// <summary>An actor did not handle the <see cref="Terminated"/> of an actor it watched.</summary>
public sealed class DeathPactException : AkkaException
{
    public DeathPactException(IActorRef deadActor)
        : base($"Monitored actor [{deadActor}] terminated") => DeadActor = deadActor;

    public IActorRef DeadActor { get; }
}

public sealed class PostRestartException : ActorInitializationException
{
    public PostRestartException(IActorRef actor, Exception cause, Exception originalCause)
        : base(actor, "exception post restart (" + originalCause.GetType().Name + ")", cause) => OriginalCause = originalCause;

    public Exception OriginalCause { get; }
}

public sealed class AskTimeoutException : AkkaException
{
    public AskTimeoutException(string message) : base(message) { }
}

public sealed class ActorNotFoundException : AkkaException
{
    public ActorNotFoundException(string message) : base(message) { }
}

public sealed class MailboxOverflowException : AkkaException
{
    public MailboxOverflowException(string message) : base(message) { }
}
