namespace HueyP.Bridge.Protocol;

/// <summary>
/// Inbound rate limit: refills at <see cref="RatePerSecond"/> up to <see cref="Burst"/> tokens, one per frame.
/// Time comes from the injected TimeProvider, so tests drive it with virtual time. Not thread-safe (one per session).
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double ratePerSecond, double burst, TimeProvider time)
    {
        if (ratePerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(ratePerSecond));
        if (burst < 1) throw new ArgumentOutOfRangeException(nameof(burst));
        RatePerSecond = ratePerSecond;
        Burst = burst;
        _time = time;
        _tokens = burst;
        _lastRefill = time.GetTimestamp();
    }

    public double RatePerSecond { get; }

    public double Burst { get; }

    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        _tokens = Math.Min(Burst, _tokens + elapsed * RatePerSecond);
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
