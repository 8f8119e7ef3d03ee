using HueyP.Actors.Dispatch;
using HueyP.Actors.Event;

namespace HueyP.Actors;

internal sealed record ReceiveTimeoutTick(int Generation) : IAutoReceivedMessage, INotInfluenceReceiveTimeout;

/// <summary>Receive timeout, timers, async handlers and logging: per-actor extras allocated on first use.</summary>
internal sealed partial class ActorCell
{
    private TimeSpan? _receiveTimeout;
    private int _receiveTimeoutGeneration;
    private ICancelable? _receiveTimeoutTimer;
    private TimerScheduler? _timers;
    private ILoggingAdapter? _logger;

    public TimeSpan? ReceiveTimeout => _receiveTimeout;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        _receiveTimeout = timeout is { } value && value > TimeSpan.Zero && value != Timeout.InfiniteTimeSpan ? value : null;
        RescheduleReceiveTimeout();
    }

    private void RescheduleReceiveTimeout()
    {
        CancelReceiveTimeout();
        if (_receiveTimeout is not { } timeout || _isTerminated) return;
        _receiveTimeoutTimer = _system.Scheduler.ScheduleTellOnceCancelable(
            timeout, _self, new ReceiveTimeoutTick(_receiveTimeoutGeneration), null);
    }

    private void CancelReceiveTimeout()
    {
        _receiveTimeoutGeneration++;
        _receiveTimeoutTimer?.Cancel();
        _receiveTimeoutTimer = null;
    }

    internal TimerScheduler NewTimerScheduler()
    {
        _timers?.CancelAll();
        return _timers = new TimerScheduler(_self, _system.Scheduler);
    }

    internal ILoggingAdapter GetLogger() =>
        _logger ??= new LoggingAdapter(_system.LoggerFactory, _props.ActorType.FullName ?? _props.ActorType.Name, _self.Path);

    /// <summary>
    /// Runs an async handler: continuations come back as system messages and run inside this actor,
    /// and user messages wait until the task has completed (Akka's ReceiveAsync semantics).
    /// </summary>
    internal void RunAsync(Func<Task> handler)
    {
        var context = new ActorSynchronizationContext(this, _currentMessage, _currentSender, _incarnation);
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        Task task;
        try
        {
            task = handler();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            return;
        }
        _mailbox.SuspendUserMessages();
        var incarnation = _incarnation;
        task.ContinueWith(
            static (completed, state) =>
            {
                var (cell, incarnation) = ((ActorCell, int))state!;
                cell._mailbox.PostSystem(new AsyncHandlerCompleted(completed, incarnation));
            },
            (this, incarnation),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    internal void PostContinuation(ActorSynchronizationContext context, SendOrPostCallback callback, object? state) =>
        _mailbox.PostSystem(new RunContinuation(callback, state, context, null, context.Incarnation));

    private void RunContinuation(RunContinuation continuation)
    {
        if (_isTerminated) return;
        var context = (ActorSynchronizationContext)continuation.Message!;
        var previous = SynchronizationContext.Current;
        _currentMessage = context.Message;
        _currentSender = context.Sender;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            _currentSender = null;
        }
    }

    private void AsyncHandlerCompleted(AsyncHandlerCompleted completed)
    {
        _mailbox.ResumeUserMessages();
        if (completed.Task.IsFaulted && completed.Incarnation == _incarnation && _actor is not null && !IsTerminating)
        {
            var cause = completed.Task.Exception!.InnerExceptions.Count == 1
                ? completed.Task.Exception.InnerException!
                : completed.Task.Exception;
            HandleInvokeFailure(cause);
        }
        _currentMessage = null;
    }
}

/// <summary>Posts await continuations back into the actor's mailbox, restoring the message and sender.</summary>
internal sealed class ActorSynchronizationContext(ActorCell cell, object? message, IActorRef? sender, int incarnation)
    : SynchronizationContext
{
    public object? Message { get; } = message;

    public IActorRef? Sender { get; } = sender;

    public int Incarnation { get; } = incarnation;

    public override void Post(SendOrPostCallback callback, object? state) => cell.PostContinuation(this, callback, state);

    public override void Send(SendOrPostCallback callback, object? state) =>
        throw new NotSupportedException("Synchronous Send into an actor would deadlock.");

    public override SynchronizationContext CreateCopy() => this;
}
