namespace HueyP.Actors;

/// <summary>Per-child supervision bookkeeping kept by the parent: restart budget and pending stop.</summary>
public sealed class ChildRestartStats
{
    private int _retriesCount;
    private long _windowStartTimestamp = -1;

    internal ChildRestartStats(IInternalActorRef child) => ChildRef = child;

    internal IInternalActorRef ChildRef { get; }

    public IActorRef Child => ChildRef;

    public int RetriesCount => _retriesCount;

    /// <summary>The parent ordered this child to stop; its name stays reserved until it has terminated.</summary>
    internal bool ShallDie { get; set; }

    /// <summary>Number of recoveries (restart / resume after failure) the parent has ordered.</summary>
    internal int OrderedRecoveries { get; set; }

    /// <summary>
    /// Akka's rule: 0 retries never restarts; retries without a window count for the child's life;
    /// with a window the count restarts when the window has passed; neither limit means always.
    /// </summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan withinTimeRange, TimeProvider clock)
    {
        if (maxNrOfRetries == 0) return false;
        var retriesDefined = maxNrOfRetries > 0;
        var windowDefined = withinTimeRange > TimeSpan.Zero && withinTimeRange != Timeout.InfiniteTimeSpan;
        if (retriesDefined && !windowDefined)
        {
            _retriesCount++;
            return _retriesCount <= maxNrOfRetries;
        }
        if (windowDefined) return RetriesInWindowOkay(retriesDefined ? maxNrOfRetries : 1, withinTimeRange, clock);
        return true;
    }

    private bool RetriesInWindowOkay(int retries, TimeSpan window, TimeProvider clock)
    {
        var now = clock.GetTimestamp();
        if (_windowStartTimestamp < 0) _windowStartTimestamp = now;
        if (clock.GetElapsedTime(_windowStartTimestamp, now) <= window)
        {
            _retriesCount++;
            return _retriesCount <= retries;
        }
        _retriesCount = 1;
        _windowStartTimestamp = now;
        return true;
    }
}
