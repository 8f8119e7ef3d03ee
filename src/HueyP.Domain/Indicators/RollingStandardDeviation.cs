namespace HueyP.Domain.Indicators;

/// <summary>Population standard deviation (divide by N, not N−1) of the last <see cref="Period"/> values.</summary>
public sealed class RollingStandardDeviation
{
    private readonly RollingWindow _window;

    public RollingStandardDeviation(int period)
    {
        Period = PeriodGuard.Positive(period, nameof(RollingStandardDeviation));
        _window = new RollingWindow(period);
    }

    public int Period { get; }
    public bool IsReady => _window.IsFull;
    public double Mean => IsReady ? _window.Mean : double.NaN;
    /// <summary>NaN until <see cref="IsReady"/>.</summary>
    public double Value => IsReady ? Math.Sqrt(_window.PopulationVariance) : double.NaN;

    public bool Update(double value)
    {
        PeriodGuard.Finite(value, nameof(RollingStandardDeviation));
        _window.Add(value);
        return IsReady;
    }

    public void Reset() => _window.Reset();
}
