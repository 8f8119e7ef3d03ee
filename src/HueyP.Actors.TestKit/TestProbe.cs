using System.Collections.Concurrent;
using HueyP.Actors.Dispatch;

namespace HueyP.Actors.TestKit;

/// <summary>A queue-backed actor reference that tests read from with blocking, time-bounded expectations.</summary>
public sealed class TestProbe : TestKitBase
{
    internal TestProbe(ActorSystem system, string name, TimeSpan defaultTimeout)
        : base(system, new ProbeRef(system.Name, name), defaultTimeout) { }
}

internal sealed class ProbeRef : MinimalActorRef
{
    private readonly HashSet<IActorRef> _watching = new();
    private readonly HashSet<IActorRef> _watchers = new();

    public ProbeRef(string systemName, string name) : base(ActorPath.CreateRoot(systemName) / "system" / name) { }

    public BlockingCollection<(object Message, IActorRef? Sender)> Queue { get; } = new();

    public override void Tell(object message, IActorRef? sender) => Queue.Add((message, sender));

    public void Watch(IActorRef subject)
    {
        if (subject is not IInternalActorRef target) throw new ArgumentException("Cannot watch this reference.", nameof(subject));
        lock (_watching)
            if (!_watching.Add(subject)) return;
        target.SendSystemMessage(new Dispatch.Watch(target, this));
    }

    public void Unwatch(IActorRef subject)
    {
        if (subject is not IInternalActorRef target) return;
        lock (_watching)
            if (!_watching.Remove(subject)) return;
        target.SendSystemMessage(new Dispatch.Unwatch(target, this));
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case DeathWatchNotification notification:
                bool wasWatching;
                lock (_watching) wasWatching = _watching.Remove(notification.Actor);
                if (wasWatching) Queue.Add((new Terminated(notification.Actor, notification.ExistenceConfirmed, notification.AddressTerminated), notification.Actor));
                break;
            case Dispatch.Watch watch when ReferenceEquals(watch.Watchee, this):
                lock (_watchers) _watchers.Add(watch.Watcher);
                break;
            case Dispatch.Unwatch unwatch when ReferenceEquals(unwatch.Watchee, this):
                lock (_watchers) _watchers.Remove(unwatch.Watcher);
                break;
        }
    }
}
