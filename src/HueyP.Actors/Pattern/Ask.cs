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

    private static Task<object> AskInternal(ICanTell target, object message, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var system = SystemOf(target);
        var promise = new PromiseActorRef(system.NewTempPath());
        var effectiveTimeout = timeout ?? system.Settings.DefaultAskTimeout;
        if (effectiveTimeout > TimeSpan.Zero && effectiveTimeout != Timeout.InfiniteTimeSpan)
        {
            var timer = new Cancelable();
            // The target's name is spelled out only when it is needed: building a path string per Ask cost more than the Ask.
            system.Scheduler.ScheduleOnce(effectiveTimeout, () => promise.Fail(new AskTimeoutException(
                $"Ask timed out on [{(target is IActorRef actorRef ? actorRef.Path.ToString() : target.ToString())}] after [{effectiveTimeout.TotalMilliseconds} ms]. Message of type [{message.GetType().FullName}].")), timer);
            promise.Result.ContinueWith(static (_, state) => ((Cancelable)state!).Cancel(), timer,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static state => ((PromiseActorRef)state!).Fail(new TaskCanceledException()), promise);
            promise.Result.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        target.Tell(message, promise);
        return promise.Result;
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
