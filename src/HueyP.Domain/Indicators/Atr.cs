namespace HueyP.Domain.Indicators;

/// <summary>
/// Average true range with Wilder smoothing. The first bar has no previous close, so its true range is left out:
/// the first value is the simple mean of the true ranges of bars 2..Period+1.
/// </summary>
public sealed class Atr
{
    private double _previousClose;
    private bool _hasPreviousClose;
    private int _ranges;
    private double _value = double.NaN;
    private double _seedSum;

    public Atr(int period = 14)
    {
        Period = PeriodGuard.Positive(period, nameof(Atr));
    }

    public int Period { get; }
    public bool IsReady => _ranges >= Period;
    /// <summary>NaN until <see cref="IsReady"/>.</summary>
    public double Value => _value;
    /// <summary>The latest bar's true range; NaN before the second bar.</summary>
    public double LastTrueRange { get; private set; } = double.NaN;

    public bool Update(double high, double low, double close)
    {
        PeriodGuard.Finite(high, nameof(Atr), nameof(high));
        PeriodGuard.Finite(low, nameof(Atr), nameof(low));
        PeriodGuard.Finite(close, nameof(Atr), nameof(close));
        if (low > high)
            throw new ArgumentOutOfRangeException(nameof(low), low, $"{nameof(Atr)}: low {low} is above high {high}.");

        if (!_hasPreviousClose)
        {
            _previousClose = close;
            _hasPreviousClose = true;
            return false;
        }

        var trueRange = Math.Max(high - low, Math.Max(Math.Abs(high - _previousClose), Math.Abs(low - _previousClose)));
        _previousClose = close;
        LastTrueRange = trueRange;
        _ranges++;

        if (_ranges < Period)
        {
            _seedSum += trueRange;
            return false;
        }

        _value = _ranges == Period
            ? (_seedSum + trueRange) / Period
            : (_value * (Period - 1) + trueRange) / Period;
        return true;
    }

    public void Reset()
    {
        _previousClose = 0;
        _hasPreviousClose = false;
        _ranges = 0;
        _seedSum = 0;
        _value = double.NaN;
        LastTrueRange = double.NaN;
    }
}
