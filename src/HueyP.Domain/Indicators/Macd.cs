namespace HueyP.Domain.Indicators;

/// <summary>
/// MACD = fast EMA − slow EMA (both SMA-seeded); the signal line is an EMA of the MACD values,
/// seeded with the mean of its first SignalPeriod MACD values; histogram = MACD − signal.
/// </summary>
public sealed class Macd
{
    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Ema _signal;

    public Macd(int fastPeriod = 12, int slowPeriod = 26, int signalPeriod = 9)
    {
        PeriodGuard.Positive(fastPeriod, nameof(Macd), nameof(fastPeriod));
        PeriodGuard.Positive(slowPeriod, nameof(Macd), nameof(slowPeriod));
        PeriodGuard.Positive(signalPeriod, nameof(Macd), nameof(signalPeriod));
        if (fastPeriod >= slowPeriod)
            throw new ArgumentOutOfRangeException(nameof(fastPeriod), fastPeriod,
                $"{nameof(Macd)}: fastPeriod ({fastPeriod}) must be shorter than slowPeriod ({slowPeriod}).");
        _fast = new Ema(fastPeriod);
        _slow = new Ema(slowPeriod);
        _signal = new Ema(signalPeriod);
    }

    public double FastEma => _fast.Value;
    public double SlowEma => _slow.Value;
    /// <summary>Ready once the slow EMA is; NaN before.</summary>
    public bool IsMacdReady => _slow.IsReady;
    public bool IsReady => _signal.IsReady;
    public double Value => IsMacdReady ? _fast.Value - _slow.Value : double.NaN;
    public double Signal => _signal.Value;
    public double Histogram => IsReady ? Value - Signal : double.NaN;

    /// <returns>Whether MACD, signal and histogram are all available.</returns>
    public bool Update(double value)
    {
        PeriodGuard.Finite(value, nameof(Macd));
        _fast.Update(value);
        _slow.Update(value);
        if (_slow.IsReady) _signal.Update(Value);
        return IsReady;
    }

    public void Reset()
    {
        _fast.Reset();
        _slow.Reset();
        _signal.Reset();
    }
}
