namespace HueyP.Domain.Indicators;

/// <summary>
/// Exponential moving average with k = 2/(n+1), seeded with the simple mean of the first n values
/// (the first value is reported on the n-th update, as in Stock Indicators for .NET).
/// </summary>
public sealed class Ema
{
    private readonly double _k;
    private double _seedSum;
    private int _count;
    private double _value = double.NaN;

    public Ema(int period)
    {
        Period = PeriodGuard.Positive(period, nameof(Ema));
        _k = 2.0 / (period + 1);
    }

    public int Period { get; }
    public bool IsReady => _count >= Period;
    /// <summary>NaN until <see cref="IsReady"/>.</summary>
    public double Value => _value;

    public bool Update(double value)
    {
        PeriodGuard.Finite(value, nameof(Ema));
        if (_count < Period)
        {
            _seedSum += value;
            _count++;
            if (_count == Period) _value = _seedSum / Period;
            return IsReady;
        }

        _value += _k * (value - _value);
        return true;
    }

    public void Reset()
    {
        _seedSum = 0;
        _count = 0;
        _value = double.NaN;
    }
}
