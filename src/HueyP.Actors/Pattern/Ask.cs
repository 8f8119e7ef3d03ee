namespace HueyP.Actors;

/// <summary>A temporary reference that completes a task with the first reply.</summary>
internal sealed class PromiseActorRef : MinimalActorRef
{
    private readonly TaskCompletionSource<object> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PromiseActorRef(ActorPath path) : base(path) { }

    public Task<object> Result => _promise.Task;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is Status.Failure failure) _promise.TrySetException(failure.Cause);
        else _promise.TrySetResult(message);
    }

    public void Fail(Exception exception) => _promise.TrySetException(exception);

    internal override void SendSystemMessage(Dispatch.SystemMessage message) { }
}

/// <summary>A temporary reference that completes a task once it has as many replies as it expects.</summary>
internal sealed class GatheringPromiseActorRef : MinimalActorRef
{
    private readonly TaskCompletionSource<object> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object[] _replies;
    private int _received;

    public GatheringPromiseActorRef(ActorPath path, int expected) : base(path) => _replies = new object[expected];

    public Task<object> Result => _promise.Task;

    public override void Tell(object message, IActorRef? sender)
    {
        if (message is Status.Failure failure)
        {
            _promise.TrySetException(failure.Cause);
            return;
        }
        var index = Interlocked.Increment(ref _received) - 1;
        if (index >= _replies.Length) return;
        _replies[index] = message;
        if (index == _replies.Length - 1) _promise.TrySetResult(_replies);
    }

    public void Fail(Exception exception) => _promise.TrySetException(exception);

    internal override void SendSystemMessage(Dispatch.SystemMessage message) { }
}

public static class Futures
{
    /// <summary>Sends and awaits one reply; <see cref="Status.Failure"/> replies fault the task, as does the timeout (naming the target).</summary>
    public static async Task<T> Ask<T>(this ICanTell target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = await AskInternal(target, message, timeout, cancellationToken).ConfigureAwait(false);
        return reply is T typed
            ? typed
            : throw new InvalidCastException($"Ask expected a reply of type {typeof(T).Name} but got {reply?.GetType().Name ?? "null"}: {reply}");
    }

    public static Task<object> Ask(this ICanTell target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AskInternal(target, message, timeout, cancellationToken);

    /// <summary>
    /// Sends every message to <paramref name="target"/> and awaits one reply to each (in the order they arrive), with
    /// one temporary reference and one timeout for all of them instead of one each: what a barrier over many entities
    /// needs. A <see cref="Status.Failure"/> reply or the timeout faults the task.
    /// </summary>
    public static async Task<IReadOnlyList<T>> AskAll<T>(this ICanTell target, IReadOnlyList<object> messages, TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0) return [];
        var system = SystemOf(target);
        var promise = new GatheringPromiseActorRef(system.NewTempPath(), messages.Count);
        Guard(system, promise.Result, promise.Fail, target, messages[0], timeout, cancellationToken);
        foreach (var message in messages) target.Tell(message, promise);
        var replies = (object[])await promise.Result.ConfigureAwait(false);
        var typed = new T[replies.Length];
        for (var i = 0; i < replies.Length; i++)
        {
            typed[i] = replies[i] is T reply
                ? reply
                : throw new InvalidCastException($"AskAll expected replies of type {typeof(T).Name} but got {replies[i]?.GetType().Name ?? "null"}: {replies[i]}");
        }
        return typed;
    }

    private static Task<object> AskInternal(ICanTell target, object message, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var system = SystemOf(target);
        var promise = new PromiseActorRef(system.NewTempPath());
        Guard(system, promise.Result, promise.Fail, target, message, timeout, cancellationToken);
        target.Tell(message, promise);
        return promise.Result;
    }

    /// <summary>The timeout (naming the target) and the cancellation of one promise; both cleaned up when it completes.</summary>
    private static void Guard(ActorSystem system, Task<object> result, Action<Exception> fail, ICanTell target, object message, TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        var effectiveTimeout = timeout ?? system.Settings.DefaultAskTimeout;
        if (effectiveTimeout > TimeSpan.Zero && effectiveTimeout != Timeout.InfiniteTimeSpan)
        {
            var timer = new Cancelable();
            // The target's name is spelled out only when it is needed: building a path string per Ask cost more than the Ask.
            system.Scheduler.ScheduleOnce(effectiveTimeout, () => fail(new AskTimeoutException(
                $"Ask timed out on [{(target is IActorRef actorRef ? actorRef.Path.ToString() : target.ToString())}] after [{effectiveTimeout.TotalMilliseconds} ms]. Message of type [{message.GetType().FullName}].")), timer);
            result.ContinueWith(static (_, state) => ((Cancelable)state!).Cancel(), timer,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static state => ((Action<Exception>)state!)(new TaskCanceledException()), fail);
            result.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static ActorSystem SystemOf(ICanTell target) => target switch
    {
        LocalActorRef local => local.Cell.System,
        ActorSelection selection when selection.Anchor is LocalActorRef anchor => anchor.Cell.System,
        _ => ActorCell.Current?.System ?? throw new ArgumentException("Ask needs a reference or selection of a local actor system.", nameof(target)),
    };
}

public static class PipeToSupport
{
    /// <summary>Sends the task's result (or <see cref="Status.Failure"/>) to the recipient when it completes.</summary>
    public static Task PipeTo<T>(this Task<T> task, ICanTell recipient, IActorRef? sender = null,
        Func<T, object>? success = null, Func<Exception, object>? failure = null)
    {
        sender ??= ActorCell.Current?.Self;
        return task.ContinueWith(completed =>
        {
            if (completed.IsCompletedSuccessfully)
                recipient.Tell(success is null ? completed.Result! : success(completed.Result), sender);
            else
            {
                var cause = completed.Exception?.InnerExceptions.Count == 1 ? completed.Exception.InnerException! : (Exception?)completed.Exception ?? new TaskCanceledException();
                recipient.Tell(failure is null ? new Status.Failure(cause) : failure(cause), sender);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public static Task PipeTo(this Task task, ICanTell recipient, IActorRef? sender = null,
        Func<object>? success = null, Func<Exception, object>? failure = null)
    {
        sender ??= ActorCell.Current?.Self;
        return task.ContinueWith(completed =>
        {
            if (completed.IsCompletedSuccessfully)
                recipient.Tell(success is null ? new Status.Success(null) : success(), sender);
            else
            {
                var cause = completed.Exception?.InnerExceptions.Count == 1 ? completed.Exception.InnerException! : (Exception?)completed.Exception ?? new TaskCanceledException();
                recipient.Tell(failure is null ? new Status.Failure(cause) : failure(cause), sender);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
