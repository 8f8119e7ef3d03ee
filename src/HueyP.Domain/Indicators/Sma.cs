namespace HueyP.Domain.Indicators;

/// <summary>Simple moving average: the plain mean of the last <see cref="Period"/> values.</summary>
public sealed class Sma
{
    private readonly RollingWindow _window;

    public Sma(int period)
    {
        Period = PeriodGuard.Positive(period, nameof(Sma));
        _window = new RollingWindow(period);
    }

    public int Period { get; }
    public bool IsReady => _window.IsFull;
    /// <summary>NaN until <see cref="IsReady"/>.</summary>
    public double Value => IsReady ? _window.Mean : double.NaN;

    /// <returns>Whether a value is available after this update.</returns>
    public bool Update(double value)
    {
        PeriodGuard.Finite(value, nameof(Sma));
        _window.Add(value);
        return IsReady;
    }

    public void Reset() => _window.Reset();
}
