namespace HueyP.Actors;

/// <summary>Actors implementing this get <see cref="Timers"/> injected before their constructor body runs.</summary>
public interface IWithTimers
{
    ITimerScheduler Timers { get; set; }
}

/// <summary>Keyed timers bound to one actor incarnation: restarting or stopping cancels them all.</summary>
public interface ITimerScheduler
{
    void StartSingleTimer(object key, object message, TimeSpan timeout);

    void StartPeriodicTimer(object key, object message, TimeSpan interval);

    void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval);

    bool IsTimerActive(object key);

    void Cancel(object key);

    void CancelAll();
}

internal sealed record TimerMessage(TimerScheduler Owner, object Key, int Generation, object Message) : IAutoReceivedMessage;

internal sealed class TimerScheduler(IActorRef self, IScheduler scheduler) : ITimerScheduler
{
    private readonly Dictionary<object, (int Generation, ICancelable Cancelable, bool Repeat)> _timers = new();
    private int _generation;

    public void StartSingleTimer(object key, object message, TimeSpan timeout) =>
        Start(key, message, timeout, null);

    public void StartPeriodicTimer(object key, object message, TimeSpan interval) =>
        Start(key, message, interval, interval);

    public void StartPeriodicTimer(object key, object message, TimeSpan initialDelay, TimeSpan interval) =>
        Start(key, message, initialDelay, interval);

    private void Start(object key, object message, TimeSpan delay, TimeSpan? interval)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        Cancel(key);
        var generation = ++_generation;
        var timerMessage = new TimerMessage(this, key, generation, message);
        var cancelable = interval is { } period
            ? scheduler.ScheduleTellRepeatedlyCancelable(delay, period, self, timerMessage, self)
            : scheduler.ScheduleTellOnceCancelable(delay, self, timerMessage, self);
        _timers[key] = (generation, cancelable, interval is not null);
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void Cancel(object key)
    {
        if (_timers.Remove(key, out var timer)) timer.Cancelable.Cancel();
    }

    public void CancelAll()
    {
        foreach (var timer in _timers.Values) timer.Cancelable.Cancel();
        _timers.Clear();
    }

    /// <summary>False for messages of cancelled or replaced timers, which are then discarded.</summary>
    internal bool TryConsume(TimerMessage message)
    {
        if (!ReferenceEquals(message.Owner, this)) return false;
        if (!_timers.TryGetValue(message.Key, out var timer) || timer.Generation != message.Generation) return false;
        if (!timer.Repeat) _timers.Remove(message.Key);
        return true;
    }
}
