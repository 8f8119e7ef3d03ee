using HueyP.Actors.Dispatch;

namespace HueyP.Actors;

/// <summary>/user and /system: parents of top-level actors.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected internal override bool Receive(object message) => false;

    /// <summary>Top-level actors keep running when their guardian would restart.</summary>
    protected internal override void PreRestart(Exception reason, object? message) { }
}

/// <summary>"/": stops a failing guardian; when /user has stopped it stops /system, then itself.</summary>
internal sealed class RootGuardianActor : ActorBase
{
    protected internal override SupervisorStrategy SupervisorStrategy() => Actors.SupervisorStrategy.StoppingStrategy;

    protected internal override void PreStart()
    {
        foreach (var child in Context.GetChildren()) Context.Watch(child);
    }

    protected internal override bool Receive(object message)
    {
        if (message is not Terminated terminated) return false;
        if (terminated.ActorRef.Path.Name == "user")
        {
            var systemGuardian = Context.Child("system");
            if (systemGuardian.IsNobody()) Context.Stop(Self);
            else Context.Stop(systemGuardian);
        }
        else if (terminated.ActorRef.Path.Name == "system")
        {
            Context.Stop(Self);
        }
        return true;
    }
}

/// <summary>The root's parent: learns when the root has stopped and completes system termination.</summary>
internal sealed class TerminationWatcherRef(ActorPath path, Action onRootTerminated) : MinimalActorRef(path)
{
    public override void Tell(object message, IActorRef? sender) { }

    internal override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification:
                onRootTerminated();
                break;
            case Failed failed when failed.Child is IInternalActorRef root:
                root.Stop();
                break;
        }
    }
}

internal sealed class DeadLetterActorRef(ActorPath path, ActorSystem system) : MinimalActorRef(path)
{
    public override void Tell(object message, IActorRef? sender)
    {
        if (message is Event.DeadLetter deadLetter) system.PublishDeadLetter(deadLetter.Message, deadLetter.Sender, deadLetter.Recipient);
        else system.PublishDeadLetter(message, sender, this);
    }

    internal override void SendSystemMessage(SystemMessage message) => DeadLetterSystemMessages.Answer(this, message);
}
