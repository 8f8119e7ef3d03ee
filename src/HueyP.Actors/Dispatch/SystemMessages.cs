namespace HueyP.Actors.Dispatch;

/// <summary>
/// Lifecycle and supervision messages, processed before user messages. Each instance is its own
/// queue node (intrusive list) so system traffic costs no extra allocation and idle actors no queue.
/// </summary>
internal abstract class SystemMessage
{
    internal SystemMessage? Next;
}

internal sealed class Create : SystemMessage;

internal sealed class Recreate(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

internal sealed class Suspend : SystemMessage;

internal sealed class Resume(Exception? causedByFailure) : SystemMessage
{
    public Exception? CausedByFailure { get; } = causedByFailure;
}

internal sealed class Terminate : SystemMessage;

internal sealed class Watch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;
    public IInternalActorRef Watcher { get; } = watcher;
}

internal sealed class Unwatch(IInternalActorRef watchee, IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watchee { get; } = watchee;
    public IInternalActorRef Watcher { get; } = watcher;
}

/// <summary>A child reports its failure; <see cref="Epoch"/> lets the parent drop reports the child made before a recovery the parent already ordered.</summary>
internal sealed class Failed(IActorRef child, Exception cause, int epoch) : SystemMessage
{
    public IActorRef Child { get; } = child;
    public Exception Cause { get; } = cause;
    public int Epoch { get; } = epoch;
}

internal sealed class DeathWatchNotification(IActorRef actor, bool existenceConfirmed, bool addressTerminated) : SystemMessage
{
    public IActorRef Actor { get; } = actor;
    public bool ExistenceConfirmed { get; } = existenceConfirmed;
    public bool AddressTerminated { get; } = addressTerminated;
}

/// <summary>Fails the actor as if its handler had thrown (operability / chaos testing, bounded mailbox Fail).</summary>
internal sealed class Crash(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>A continuation of an async handler, run inside the actor like a message.</summary>
internal sealed class RunContinuation(SendOrPostCallback callback, object? state, object? message, IActorRef? sender, int incarnation) : SystemMessage
{
    public SendOrPostCallback Callback { get; } = callback;
    public object? State { get; } = state;
    public object? Message { get; } = message;
    public IActorRef? Sender { get; } = sender;
    public int Incarnation { get; } = incarnation;
}

internal sealed class AsyncHandlerCompleted(Task task, int incarnation) : SystemMessage
{
    public Task Task { get; } = task;
    public int Incarnation { get; } = incarnation;
}

/// <summary>What a reference without a live mailbox does with system messages.</summary>
internal static class DeadLetterSystemMessages
{
    public static void Answer(IActorRef deadActor, SystemMessage message)
    {
        // A watch on a dead actor must still yield exactly one Terminated.
        if (message is Watch watch && watch.Watchee.Equals(deadActor) && !watch.Watcher.Equals(deadActor))
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(deadActor, existenceConfirmed: false, addressTerminated: false));
    }
}
