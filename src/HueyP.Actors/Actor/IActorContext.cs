namespace HueyP.Actors;

/// <summary>A behaviour: returns false when the message was not handled.</summary>
public delegate bool Receive(object message);

public interface IActorRefFactory
{
    IActorRef ActorOf(Props props, string? name = null);

    ActorSelection ActorSelection(string path);
}

/// <summary>The actor's view of itself and the kernel; valid only while the actor processes a message.</summary>
public interface IActorContext : IActorRefFactory
{
    IActorRef Self { get; }

    /// <summary>Sender of the current message; the dead letters ref when there is none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    ActorSystem System { get; }

    Props Props { get; }

    IEnumerable<IActorRef> GetChildren();

    /// <summary>The child with this name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    void Stop(IActorRef child);

    IActorRef Watch(IActorRef subject);

    /// <summary>Watch, delivering <paramref name="message"/> instead of <see cref="Terminated"/>.</summary>
    IActorRef WatchWith(IActorRef subject, object message);

    IActorRef Unwatch(IActorRef subject);

    void SetReceiveTimeout(TimeSpan? timeout);

    TimeSpan? ReceiveTimeout { get; }

    void Become(Receive receive);

    void BecomeStacked(Receive receive);

    void UnbecomeStacked();
}
