namespace HueyP.Domain.Indicators;

/// <summary>
/// Relative strength index with Wilder smoothing. The first value needs <see cref="Period"/> price changes,
/// i.e. Period + 1 prices; its averages are the simple means of those changes. A window with no losses reads 100.
/// </summary>
public sealed class Rsi
{
    private double _previous;
    private int _changes;
    private bool _hasPrevious;
    private double _averageGain;
    private double _averageLoss;
    private double _value = double.NaN;

    public Rsi(int period = 14)
    {
        Period = PeriodGuard.Positive(period, nameof(Rsi));
    }

    public int Period { get; }
    public bool IsReady => _changes >= Period;
    /// <summary>0..100; NaN until <see cref="IsReady"/>.</summary>
    public double Value => _value;

    public bool Update(double value)
    {
        PeriodGuard.Finite(value, nameof(Rsi));
        if (!_hasPrevious)
        {
            _previous = value;
            _hasPrevious = true;
            return false;
        }

        var change = value - _previous;
        _previous = value;
        var gain = change > 0 ? change : 0.0;
        var loss = change < 0 ? -change : 0.0;
        _changes++;

        if (_changes <= Period)
        {
            // Sum during warm-up; the division on the last warm-up step makes it the seed mean.
            _averageGain += gain;
            _averageLoss += loss;
            if (_changes < Period) return false;
            _averageGain /= Period;
            _averageLoss /= Period;
        }
        else
        {
            _averageGain = (_averageGain * (Period - 1) + gain) / Period;
            _averageLoss = (_averageLoss * (Period - 1) + loss) / Period;
        }

        _value = _averageLoss > 0 ? 100.0 - 100.0 / (1.0 + _averageGain / _averageLoss) : 100.0;
        return true;
    }

    public void Reset()
    {
        _previous = 0;
        _changes = 0;
        _hasPrevious = false;
        _averageGain = 0;
        _averageLoss = 0;
        _value = double.NaN;
    }
}
