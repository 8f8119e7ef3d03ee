using HueyP.Actors.Dispatch;

namespace HueyP.Actors;

/// <summary>Creation, failure, restart and termination, following Akka's FaultHandling.</summary>
internal sealed partial class ActorCell
{
    private bool _isFailed;
    private IActorRef? _perpetrator;
    private object? _failedMessage;
    private int _failureEpoch;

    private void Create()
    {
        try
        {
            NewActorInstance();
            _actor!.AroundPreStart();
        }
        catch (Exception cause)
        {
            _actor = null;
            HandleInvokeFailure(cause as ActorInitializationException
                ?? new ActorInitializationException(_self, $"Exception during creation of {_self.Path}", cause));
        }
    }

    /// <summary>Suspends this actor and its children and reports to the parent; the failing message is not retried.</summary>
    internal void HandleInvokeFailure(Exception cause, IActorRef? perpetrator = null)
    {
        if (_isFailed || _isTerminated) return;
        _isFailed = true;
        _perpetrator = perpetrator ?? _self;
        _failedMessage = perpetrator is null ? _currentMessage : null;
        _currentMessage = null;
        try
        {
            _mailbox.SuspendUserMessages();
            SuspendChildren(except: perpetrator);
            _parent.SendSystemMessage(new Failed(_self, cause, _failureEpoch));
        }
        catch (Exception emergency)
        {
            _system.Log.Error(emergency, "Emergency stop of {ActorPath} while handling failure", _self.Path);
            try { StopAllChildren(); }
            finally { FinishTerminate(); }
        }
    }

    private void ClearFailed()
    {
        _isFailed = false;
        _perpetrator = null;
        _failedMessage = null;
    }

    private void HandleFailed(Failed failed)
    {
        if (IsTerminating) return;
        var stats = GetChildStats(failed.Child);
        if (stats is null || stats.ShallDie) return;
        int orderedRecoveries;
        lock (ChildrenLock) orderedRecoveries = stats.OrderedRecoveries;
        if (failed.Epoch < orderedRecoveries)
        {
            // The child failed before processing a recovery we already ordered (an AllForOne sibling
            // restart, sent as Suspend + Recreate). That restart covers this failure too; only the extra
            // suspension its own failure added must be undone, so it is not restarted twice.
            stats.ChildRef.SendSystemMessage(new Dispatch.Resume(null));
            return;
        }
        var strategy = _props.SupervisorStrategy ?? _actor?.SupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        if (!strategy.HandleFailure(this, stats, failed.Cause))
            HandleInvokeFailure(failed.Cause, perpetrator: failed.Child);
    }

    private void FaultSuspend()
    {
        _mailbox.SuspendUserMessages();
        SuspendChildren(except: null);
    }

    private void FaultResume(Exception? causedByFailure)
    {
        if (causedByFailure is not null) _failureEpoch++;
        if (_actor is null && causedByFailure is not null && !IsTerminating)
        {
            FaultCreate();
            return;
        }
        var perpetrator = _perpetrator;
        try
        {
            _mailbox.ResumeUserMessages();
        }
        finally
        {
            if (causedByFailure is not null) ClearFailed();
        }
        ResumeChildren(causedByFailure, perpetrator);
    }

    private void FaultRecreate(Exception cause)
    {
        _failureEpoch++;
        if (_childrenTerminationReason != ChildrenTerminationReason.None || IsTerminating)
        {
            // Already creating, re-creating or stopping (Akka's !isNormal): that covers this restart, but the
            // Suspend that came with it must still be undone to keep the suspend counter balanced.
            FaultResume(null);
            return;
        }
        if (_actor is null)
        {
            FaultCreate();
            return;
        }
        var failedActor = _actor;
        try
        {
            if (failedActor is IWithUnboundedStash withStash) withStash.Stash.UnstashAll();
            failedActor.AroundPreRestart(cause, _failedMessage);
        }
        catch (Exception preRestartFailure)
        {
            LogError(preRestartFailure, "PreRestart of {ActorPath} threw", _self.Path);
        }
        finally
        {
            ClearActorState();
            _failedMessage = null;
        }
        if (!SetChildrenTerminationReason(ChildrenTerminationReason.Recreation, cause)) FinishRecreate(cause);
    }

    private void FinishRecreate(Exception cause)
    {
        var survivors = ChildrenSnapshot(includeDying: false);
        try
        {
            _mailbox.ResumeUserMessages();
        }
        finally
        {
            ClearFailed();
        }
        try
        {
            NewActorInstance();
            _incarnation++;
            Interlocked.Increment(ref _restartCount);
            _actor!.AroundPostRestart(cause);
        }
        catch (Exception postRestartFailure)
        {
            _actor = null;
            HandleInvokeFailure(new PostRestartException(_self, postRestartFailure, cause));
            return;
        }
        if (_receiveTimeout is not null) RescheduleReceiveTimeout();
        foreach (var survivor in survivors) RestartChild(survivor, cause, suspendFirst: false);
    }

    /// <summary>Restart or resume after the constructor failed: stop children it created, then construct again.</summary>
    /// <remarks>The mailbox stays suspended until the children have stopped (Akka's faultCreate/finishCreate).</remarks>
    private void FaultCreate()
    {
        StopAllChildren();
        if (!SetChildrenTerminationReason(ChildrenTerminationReason.Creation)) FinishCreate();
    }

    private void FinishCreate()
    {
        try
        {
            _mailbox.ResumeUserMessages();
        }
        finally
        {
            ClearFailed();
        }
        Create();
    }

    private void Terminate()
    {
        if (_isTerminated) return;
        CancelReceiveTimeout();
        _receiveTimeout = null;
        UnwatchWatchedActors();
        StopAllChildren();
        var wasTerminating = IsTerminating;
        if (SetChildrenTerminationReason(ChildrenTerminationReason.Termination))
        {
            if (!wasTerminating) _mailbox.SuspendUserMessages();
        }
        else
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        if (_isTerminated) return;
        var actor = _actor;
        try
        {
            if (actor is IWithUnboundedStash withStash) withStash.Stash.UnstashAll();
            actor?.AroundPostStop();
        }
        catch (Exception postStopFailure)
        {
            LogError(postStopFailure, "PostStop of {ActorPath} threw", _self.Path);
        }
        finally
        {
            _isTerminated = true;
            ClearActorState();
            CancelReceiveTimeout();
            _mailbox.Close();
            _parent.SendSystemMessage(new DeathWatchNotification(_self, existenceConfirmed: true, addressTerminated: false));
            TellWatchersWeDied();
            UnwatchWatchedActors();
        }
    }

    private void LogError(Exception exception, string template, params object?[] args)
    {
        try
        {
            GetLogger().Error(exception, template, args);
        }
        catch
        {
            // Logging must never break the kernel.
        }
    }
}
