using HueyP.Actors.Dispatch;

namespace HueyP.Actors;

/// <summary>Terminated delivered instead of the user's WatchWith message, so Unwatch can still drop it.</summary>
internal sealed record CustomTerminated(IActorRef ActorRef, object Message) : IAutoReceivedMessage;

/// <summary>DeathWatch; all sets allocated on first use so idle actors stay small.</summary>
internal sealed partial class ActorCell
{
    private Dictionary<IActorRef, object?>? _watching;      // watched actor -> custom message or null
    private HashSet<IActorRef>? _watchedBy;
    private HashSet<IActorRef>? _terminatedQueued;

    public IActorRef Watch(IActorRef subject) => WatchInternal(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchInternal(subject, message);
    }

    private IActorRef WatchInternal(IActorRef subject, object? message)
    {
        if (subject is not IInternalActorRef target || ReferenceEquals(target, _self)) return subject;
        _watching ??= new Dictionary<IActorRef, object?>();
        if (_watching.TryGetValue(subject, out var existing))
        {
            if (!Equals(existing, message))
                throw new InvalidOperationException(
                    $"Watch({subject}) called with a different message than the existing watch ({existing ?? "Terminated"}); Unwatch first.");
            return subject;
        }
        _watching[subject] = message;
        target.SendSystemMessage(new Dispatch.Watch(target, _self));
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        if (subject is IInternalActorRef target && _watching is not null && _watching.Remove(subject))
            target.SendSystemMessage(new Dispatch.Unwatch(target, _self));
        _terminatedQueued?.Remove(subject);
        return subject;
    }

    /// <summary>
    /// Returns stashed messages to the front of the mailbox. A stashed Terminated (or WatchWith message) was
    /// consumed when first received, so it is queued again for its actor (Akka's terminatedQueuedFor on enqueueFirst).
    /// </summary>
    internal void PrependUnstashed(IReadOnlyList<(object Message, IActorRef? Sender)> messages)
    {
        foreach (var (message, _) in messages)
        {
            var actor = message switch
            {
                Terminated terminated => terminated.ActorRef,
                CustomTerminated custom => custom.ActorRef,
                _ => null,
            };
            if (actor is not null) (_terminatedQueued ??= new HashSet<IActorRef>()).Add(actor);
        }
        _mailbox.Prepend(messages);
    }

    private bool IsTerminatedQueued(IActorRef actor) => _terminatedQueued is not null && _terminatedQueued.Remove(actor);

    private void AddWatcher(IInternalActorRef watchee, IInternalActorRef watcher)
    {
        if (ReferenceEquals(watchee, _self) && !ReferenceEquals(watcher, _self))
            (_watchedBy ??= new HashSet<IActorRef>()).Add(watcher);
        else if (ReferenceEquals(watcher, _self) && !ReferenceEquals(watchee, _self))
            Watch(watchee);
    }

    private void RemoveWatcher(IInternalActorRef watchee, IInternalActorRef watcher)
    {
        if (ReferenceEquals(watchee, _self) && !ReferenceEquals(watcher, _self))
            _watchedBy?.Remove(watcher);
        else if (ReferenceEquals(watcher, _self) && !ReferenceEquals(watchee, _self))
            Unwatch(watchee);
    }

    private void WatchedActorTerminated(IActorRef actor, bool existenceConfirmed, bool addressTerminated)
    {
        if (_watching is not null && _watching.Remove(actor, out var custom) && !IsTerminating)
        {
            (_terminatedQueued ??= new HashSet<IActorRef>()).Add(actor);
            object message = custom is null
                ? new Terminated(actor, existenceConfirmed, addressTerminated)
                : new CustomTerminated(actor, custom);
            // Through the user mailbox, so Terminated comes after the messages the dead actor sent before dying.
            _mailbox.Post(message, actor);
        }
        HandleChildTerminated(actor);
    }

    private void TellWatchersWeDied()
    {
        if (_watchedBy is null) return;
        foreach (var watcher in _watchedBy)
        {
            // The parent already got its notification.
            if (ReferenceEquals(watcher, _parent) || watcher is not IInternalActorRef target) continue;
            target.SendSystemMessage(new DeathWatchNotification(_self, existenceConfirmed: true, addressTerminated: false));
        }
        _watchedBy = null;
    }

    private void UnwatchWatchedActors()
    {
        if (_watching is null) return;
        foreach (var watched in _watching.Keys)
            if (watched is IInternalActorRef target) target.SendSystemMessage(new Dispatch.Unwatch(target, _self));
        _watching = null;
        _terminatedQueued = null;
    }
}
