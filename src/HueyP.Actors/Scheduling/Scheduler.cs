namespace HueyP.Actors;

public interface ICancelable
{
    void Cancel();

    bool IsCancellationRequested { get; }
}

/// <summary>A cancel flag that also disposes the timers registered with it.</summary>
public sealed class Cancelable : ICancelable
{
    private readonly Lock _lock = new();
    private List<IDisposable>? _registrations;
    private volatile bool _cancelled;

    public bool IsCancellationRequested => _cancelled;

    public void Cancel()
    {
        List<IDisposable>? registrations;
        lock (_lock)
        {
            if (_cancelled) return;
            _cancelled = true;
            registrations = _registrations;
            _registrations = null;
        }
        if (registrations is null) return;
        foreach (var registration in registrations) registration.Dispose();
    }

    internal void Register(IDisposable registration)
    {
        lock (_lock)
        {
            if (!_cancelled)
            {
                (_registrations ??= new List<IDisposable>(1)).Add(registration);
                return;
            }
        }
        registration.Dispose();
    }
}

/// <summary>Delayed and periodic sends on the system's <see cref="TimeProvider"/> (virtual in tests).</summary>
public interface IScheduler
{
    TimeProvider TimeProvider { get; }

    DateTimeOffset Now { get; }

    void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null);

    void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null);

    void ScheduleOnce(TimeSpan delay, Action action, ICancelable? cancelable = null);
}

public static class SchedulerExtensions
{
    public static ICancelable ScheduleTellOnceCancelable(this IScheduler scheduler, TimeSpan delay, ICanTell receiver, object message, IActorRef? sender)
    {
        var cancelable = new Cancelable();
        scheduler.ScheduleTellOnce(delay, receiver, message, sender, cancelable);
        return cancelable;
    }

    public static ICancelable ScheduleTellRepeatedlyCancelable(this IScheduler scheduler, TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender)
    {
        var cancelable = new Cancelable();
        scheduler.ScheduleTellRepeatedly(initialDelay, interval, receiver, message, sender, cancelable);
        return cancelable;
    }
}

internal sealed class TimeProviderScheduler(TimeProvider timeProvider) : IScheduler
{
    public TimeProvider TimeProvider => timeProvider;

    public DateTimeOffset Now => timeProvider.GetUtcNow();

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, () => receiver.Tell(message, sender), cancelable, once: true);

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef? sender, ICancelable? cancelable = null)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "Interval must be positive.");
        Schedule(initialDelay, interval, () => receiver.Tell(message, sender), cancelable, once: false);
    }

    public void ScheduleOnce(TimeSpan delay, Action action, ICancelable? cancelable = null) =>
        Schedule(delay, Timeout.InfiniteTimeSpan, action, cancelable, once: true);

    private void Schedule(TimeSpan delay, TimeSpan period, Action action, ICancelable? cancelable, bool once)
    {
        if (cancelable?.IsCancellationRequested == true) return;
        var job = new ScheduledJob(action, cancelable, once);
        // The job holds its timer so the timer stays rooted while scheduled.
        job.Timer = timeProvider.CreateTimer(static state => ((ScheduledJob)state!).Fire(), job,
            delay < TimeSpan.Zero ? TimeSpan.Zero : delay, period);
        if (cancelable is Cancelable registrable) registrable.Register(job);
        else if (cancelable is not null) throw new ArgumentException("Use a Cancelable created by this kernel.", nameof(cancelable));
    }

    private sealed class ScheduledJob(Action action, ICancelable? cancelable, bool once) : IDisposable
    {
        public ITimer? Timer;

        public void Fire()
        {
            if (cancelable?.IsCancellationRequested == true) return;
            if (once) Timer?.Dispose();
            action();
        }

        public void Dispose() => Timer?.Dispose();
    }
}
