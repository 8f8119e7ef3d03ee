namespace HueyP.Bridge.Protocol;

public enum SequenceCheck
{
    /// <summary>The peer sends no sequence numbers (a legacy v1.0 EA).</summary>
    Absent,
    InOrder,
    /// <summary>Numbers were skipped: frames were lost on this connection (the outbox replay repairs it).</summary>
    Gap,
    /// <summary>A number at or below the last one: a replay or reordering (the dedup window decides).</summary>
    Behind,
}

/// <summary>Per-direction sequence numbers for one connection: outbound counter and inbound tracker.</summary>
public sealed class SequenceNumbers
{
    private long _lastSent;
    private long _lastReceived;

    public long LastReceived => _lastReceived;

    public long Gaps { get; private set; }

    public long NextOutbound() => ++_lastSent;

    public SequenceCheck Observe(long? sequence)
    {
        if (sequence is not { } n) return SequenceCheck.Absent;
        if (n <= _lastReceived) return SequenceCheck.Behind;
        var check = n == _lastReceived + 1 ? SequenceCheck.InOrder : SequenceCheck.Gap;
        if (check == SequenceCheck.Gap) Gaps++;
        _lastReceived = n;
        return check;
    }
}
