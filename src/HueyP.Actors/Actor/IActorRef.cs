namespace HueyP.Actors;

/// <summary>Anything a message can be told to (actor references and selections).</summary>
public interface ICanTell
{
    void Tell(object message, IActorRef? sender);
}

/// <summary>Location-transparent handle of one actor incarnation.</summary>
public interface IActorRef : ICanTell, IEquatable<IActorRef>, IComparable<IActorRef>
{
    ActorPath Path { get; }
}

public static class ActorRefs
{
    /// <summary>Marks a message as having no sender; the receiver sees the dead letters ref as Sender.</summary>
    public static readonly IActorRef? NoSender = null;

    /// <summary>A reference that points to no actor; messages to it are dropped silently.</summary>
    public static readonly IActorRef Nobody = new NobodyRef();

    private sealed class NobodyRef : MinimalActorRef
    {
        public NobodyRef() : base(ActorPath.CreateRoot("all-systems").Child("nobody")) { }

        public override void Tell(object message, IActorRef? sender) { }

        internal override void SendSystemMessage(Dispatch.SystemMessage message) =>
            Dispatch.DeadLetterSystemMessages.Answer(this, message);
    }
}

public static class ActorRefExtensions
{
    /// <summary>Tells with the current actor (if any) as the sender, as Akka's implicit-sender Tell.</summary>
    public static void Tell(this ICanTell receiver, object message) =>
        receiver.Tell(message, ActorCell.Current?.Self);

    /// <summary>Tells keeping the original sender of the message being processed.</summary>
    public static void Forward(this IActorRef receiver, object message)
    {
        var current = ActorCell.Current ?? throw new InvalidOperationException("Forward can only be used inside an actor.");
        receiver.Tell(message, current.Sender);
    }

    public static bool IsNobody(this IActorRef? actorRef) => actorRef is null || ReferenceEquals(actorRef, ActorRefs.Nobody);
}

/// <summary>Base for references that are not backed by a mailbox (nobody, dead letters, ask promises, probes).</summary>
internal abstract class MinimalActorRef : IInternalActorRef
{
    protected MinimalActorRef(ActorPath path) => Path = path;

    public ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender);

    internal virtual void SendSystemMessage(Dispatch.SystemMessage message) { }

    void IInternalActorRef.SendSystemMessage(Dispatch.SystemMessage message) => SendSystemMessage(message);

    void IInternalActorRef.Stop() { }

    bool IInternalActorRef.IsTerminated => false;

    public bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);

    public override string ToString() => $"[{Path}]";
}

/// <summary>Kernel-side view of a reference: system messages and lifecycle.</summary>
internal interface IInternalActorRef : IActorRef
{
    void SendSystemMessage(Dispatch.SystemMessage message);

    void Stop();

    bool IsTerminated { get; }
}
