namespace HueyP.Actors;

/// <summary>Base of every actor. Instances are created by the kernel from <see cref="Props"/> only.</summary>
public abstract class ActorBase
{
    private readonly ActorCell _cell;

    protected ActorBase()
    {
        _cell = ActorCell.Constructing ?? throw new ActorInitializationException(null,
            "Do not create actors with 'new'; use ActorOf(Props.Create(...)).");
        if (this is IWithUnboundedStash withStash) withStash.Stash = new UnboundedStash(_cell);
        if (this is IWithTimers withTimers) withTimers.Timers = _cell.NewTimerScheduler();
    }

    protected IActorContext Context => _cell;

    protected IActorRef Self => _cell.Self;

    protected IActorRef Sender => _cell.Sender;

    internal ActorCell Cell => _cell;

    protected internal abstract bool Receive(object message);

    /// <summary>Called by the kernel once the constructor has returned.</summary>
    internal virtual void AfterConstruction() { }

    /// <summary>The strategy this actor applies to its children (Props.WithSupervisorStrategy wins).</summary>
    protected internal virtual SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.DefaultStrategy;

    protected internal virtual void PreStart() { }

    protected internal virtual void PostStop() { }

    /// <summary>Default: stop all children (unwatched, so no Terminated reaches the new instance), then PostStop.</summary>
    protected internal virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.GetChildren())
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }
        PostStop();
    }

    /// <summary>Default: PreStart.</summary>
    protected internal virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>Kernel entry around <see cref="PreStart"/>; subclasses may run code around the hook.</summary>
    internal virtual void AroundPreStart() => PreStart();

    /// <summary>Kernel entry around <see cref="PostStop"/>; subclasses may run code around the hook.</summary>
    internal virtual void AroundPostStop() => PostStop();

    /// <summary>Kernel entry around <see cref="PreRestart"/>; subclasses may run code around the hook.</summary>
    internal virtual void AroundPreRestart(Exception reason, object? message) => PreRestart(reason, message);

    /// <summary>Kernel entry around <see cref="PostRestart"/>; subclasses may run code around the hook.</summary>
    internal virtual void AroundPostRestart(Exception reason) => PostRestart(reason);

    /// <summary>An unhandled Terminated is a death pact; anything else is published as <see cref="Event.UnhandledMessage"/>.</summary>
    protected internal virtual void Unhandled(object message)
    {
        if (message is Terminated terminated) throw new DeathPactException(terminated.ActorRef);
        _cell.PublishUnhandled(message);
    }

    protected void Become(Receive receive) => Context.Become(receive);

    protected void BecomeStacked(Receive receive) => Context.BecomeStacked(receive);

    protected void UnbecomeStacked() => Context.UnbecomeStacked();

    protected void SetReceiveTimeout(TimeSpan? timeout) => Context.SetReceiveTimeout(timeout);
}
