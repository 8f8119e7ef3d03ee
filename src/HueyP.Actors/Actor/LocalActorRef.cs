using HueyP.Actors.Dispatch;

namespace HueyP.Actors;

/// <summary>Reference to an actor of this system; one instance per actor incarnation (name reuse gets a new ref).</summary>
internal sealed class LocalActorRef : IInternalActorRef
{
    public LocalActorRef(ActorCell cell, ActorPath path)
    {
        Cell = cell;
        Path = path;
    }

    public ActorCell Cell { get; }

    public ActorPath Path { get; }

    public bool IsTerminated => Cell.IsTerminated;

    public void Tell(object message, IActorRef? sender) => Cell.Post(message, sender);

    public void SendSystemMessage(SystemMessage message) => Cell.Mailbox.PostSystem(message);

    public void Stop() => SendSystemMessage(new Terminate());

    public bool Equals(IActorRef? other) => ReferenceEquals(this, other);

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public int CompareTo(IActorRef? other) => other is null ? 1 : Path.CompareTo(other.Path);

    public override string ToString() => $"[{Path}]";
}
