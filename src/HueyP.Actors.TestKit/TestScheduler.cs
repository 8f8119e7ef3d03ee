namespace HueyP.Actors.TestKit;

/// <summary>
/// A virtual clock: time moves only when <see cref="Advance"/> is called, which fires due timers
/// in due order on the calling thread. Use as the system's TimeProvider for deterministic tests.
/// </summary>
public sealed class TestScheduler : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<VirtualTimer> _timers = new();
    private readonly DateTimeOffset _start;
    private long _elapsedTicks;
    private long _sequence;

    public TestScheduler(DateTimeOffset? start = null) => _start = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks));

    public override DateTimeOffset GetUtcNow() => _start + Elapsed;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _elapsedTicks);

    /// <summary>Number of timers currently scheduled (useful to wait until an actor has armed its timer).</summary>
    public int PendingTimers
    {
        get { lock (_lock) return _timers.Count; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves virtual time forward, firing every timer that falls due, in order.</summary>
    public void Advance(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration));
        var target = Interlocked.Read(ref _elapsedTicks) + duration.Ticks;
        while (true)
        {
            VirtualTimer? due;
            lock (_lock)
            {
                due = _timers.Where(t => t.DueTicks <= target).OrderBy(t => t.DueTicks).ThenBy(t => t.Sequence).FirstOrDefault();
                if (due is null)
                {
                    Interlocked.Exchange(ref _elapsedTicks, target);
                    return;
                }
                Interlocked.Exchange(ref _elapsedTicks, Math.Max(due.DueTicks, Interlocked.Read(ref _elapsedTicks)));
                if (due.PeriodTicks > 0)
                {
                    due.DueTicks += due.PeriodTicks;
                    due.Sequence = ++_sequence;
                }
                else
                {
                    _timers.Remove(due);
                }
            }
            due.Fire();
        }
    }

    private void Schedule(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan) return;
            timer.DueTicks = Interlocked.Read(ref _elapsedTicks) + Math.Max(0, dueTime.Ticks);
            timer.PeriodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
            timer.Sequence = ++_sequence;
            _timers.Add(timer);
        }
    }

    private void Remove(VirtualTimer timer)
    {
        lock (_lock) _timers.Remove(timer);
    }

    private sealed class VirtualTimer(TestScheduler owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks;
        public long PeriodTicks;
        public long Sequence;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
