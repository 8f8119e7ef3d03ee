using System.Text;

namespace HueyP.Actors;

internal enum ChildrenTerminationReason
{
    None,
    Creation,
    Recreation,
    Termination,
}

/// <summary>Children bookkeeping. Guarded by a lock because system.ActorOf reaches guardians from any thread.</summary>
internal sealed partial class ActorCell
{
    private Dictionary<string, ChildRestartStats>? _children;
    private int _childrenToDie;
    private ChildrenTerminationReason _childrenTerminationReason;
    private Exception? _recreationCause;
    private long _nextRandomNameId;
    // Monitor on the cell itself: no per-actor lock object for idle actors (thin lock in the header).
    private object ChildrenLock => this;

    internal bool IsTerminating => _childrenTerminationReason == ChildrenTerminationReason.Termination || _isTerminated;

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null) name = RandomName();
        else if (!ActorPath.IsValidPathElement(name))
            throw new InvalidActorNameException(
                $"Illegal actor name [{name}]. Actor names must be non-empty, must not start with '$' and may contain only URI path characters.");
        return AttachChild(props, name).Self;
    }

    internal ActorCell AttachChild(Props props, string name)
    {
        var child = new ActorCell(_system, props, _self.Path / name, _self);
        lock (ChildrenLock)
        {
            if (_isTerminated || _childrenTerminationReason == ChildrenTerminationReason.Termination)
                throw new InvalidOperationException($"Cannot create child [{name}]: {_self.Path} is terminating.");
            _children ??= new Dictionary<string, ChildRestartStats>(StringComparer.Ordinal);
            if (!_children.TryAdd(name, new ChildRestartStats(child.SelfRef)))
                throw new InvalidActorNameException($"Actor name [{name}] is not unique!");
        }
        child.Start();
        return child;
    }

    private string RandomName()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+~";
        var id = Interlocked.Increment(ref _nextRandomNameId) - 1;
        var builder = new StringBuilder("$");
        do
        {
            builder.Append(alphabet[(int)(id & 63)]);
            id >>= 6;
        } while (id != 0);
        return builder.ToString();
    }

    public IEnumerable<IActorRef> GetChildren() => ChildrenSnapshot(includeDying: false).Select(stats => stats.Child);

    internal List<ChildRestartStats> ChildrenSnapshot(bool includeDying)
    {
        lock (ChildrenLock)
        {
            if (_children is null) return [];
            var list = new List<ChildRestartStats>(_children.Count);
            foreach (var stats in _children.Values)
                if (includeDying || !stats.ShallDie) list.Add(stats);
            return list;
        }
    }

    public IActorRef Child(string name) => TryGetChild(name)?.Child ?? ActorRefs.Nobody;

    internal ChildRestartStats? TryGetChild(string name)
    {
        lock (ChildrenLock)
        {
            return _children is not null && _children.TryGetValue(name, out var stats) && !stats.ShallDie ? stats : null;
        }
    }

    internal ChildRestartStats? GetChildStats(IActorRef child)
    {
        lock (ChildrenLock)
        {
            return _children is not null && _children.TryGetValue(child.Path.Name, out var stats) && ReferenceEquals(stats.ChildRef, child)
                ? stats
                : null;
        }
    }

    public void Stop(IActorRef actor)
    {
        if (actor is not IInternalActorRef target) return;
        if (ReferenceEquals(target, _self))
        {
            _self.Stop();
            return;
        }
        lock (ChildrenLock)
        {
            var stats = _children is not null && _children.TryGetValue(actor.Path.Name, out var found) && ReferenceEquals(found.ChildRef, actor)
                ? found
                : null;
            if (stats is not null && !stats.ShallDie)
            {
                stats.ShallDie = true;
                _childrenToDie++;
            }
        }
        target.Stop();
    }

    private void StopAllChildren()
    {
        foreach (var stats in ChildrenSnapshot(includeDying: false)) Stop(stats.Child);
    }

    /// <summary>Returns true when children are still stopping, so the caller must wait for them.</summary>
    private bool SetChildrenTerminationReason(ChildrenTerminationReason reason, Exception? recreationCause = null)
    {
        lock (ChildrenLock)
        {
            if (_childrenToDie == 0) return false;
            _childrenTerminationReason = reason;
            _recreationCause = recreationCause;
            return true;
        }
    }

    private void HandleChildTerminated(IActorRef child)
    {
        ChildrenTerminationReason finished = ChildrenTerminationReason.None;
        Exception? recreationCause = null;
        lock (ChildrenLock)
        {
            if (_children is null || !_children.TryGetValue(child.Path.Name, out var stats) || !ReferenceEquals(stats.ChildRef, child)) return;
            _children.Remove(child.Path.Name);
            if (stats.ShallDie) _childrenToDie--;
            if (_childrenToDie == 0 && _childrenTerminationReason != ChildrenTerminationReason.None)
            {
                finished = _childrenTerminationReason;
                recreationCause = _recreationCause;
                _childrenTerminationReason = finished == ChildrenTerminationReason.Termination ? finished : ChildrenTerminationReason.None;
                _recreationCause = null;
            }
        }
        switch (finished)
        {
            case ChildrenTerminationReason.Creation: FinishCreate(); break;
            case ChildrenTerminationReason.Recreation: FinishRecreate(recreationCause!); break;
            case ChildrenTerminationReason.Termination: FinishTerminate(); break;
        }
    }

    private void SuspendChildren(IActorRef? except)
    {
        foreach (var stats in ChildrenSnapshot(includeDying: true))
            if (!ReferenceEquals(stats.ChildRef, except)) stats.ChildRef.SendSystemMessage(new Dispatch.Suspend());
    }

    private void ResumeChildren(Exception? causedByFailure, IActorRef? perpetrator)
    {
        foreach (var stats in ChildrenSnapshot(includeDying: true))
        {
            if (causedByFailure is not null && ReferenceEquals(stats.ChildRef, perpetrator))
                ResumeChild(stats, causedByFailure);
            else
                stats.ChildRef.SendSystemMessage(new Dispatch.Resume(null));
        }
    }

    internal void ResumeChild(ChildRestartStats stats, Exception cause)
    {
        lock (ChildrenLock) stats.OrderedRecoveries++;
        stats.ChildRef.SendSystemMessage(new Dispatch.Resume(cause));
    }

    internal void RestartChild(ChildRestartStats stats, Exception cause, bool suspendFirst)
    {
        lock (ChildrenLock) stats.OrderedRecoveries++;
        if (suspendFirst) stats.ChildRef.SendSystemMessage(new Dispatch.Suspend());
        stats.ChildRef.SendSystemMessage(new Dispatch.Recreate(cause));
    }
}
