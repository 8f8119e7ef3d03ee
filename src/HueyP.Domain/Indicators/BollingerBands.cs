namespace HueyP.Domain.Indicators;

/// <summary>Bollinger Bands: SMA of the last Period values ± Width × their population standard deviation.</summary>
public sealed class BollingerBands
{
    private readonly RollingWindow _window;

    public BollingerBands(int period = 20, double width = 2.0)
    {
        Period = PeriodGuard.Positive(period, nameof(BollingerBands));
        if (!double.IsFinite(width) || width <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"{nameof(BollingerBands)}: width must be a positive number.");
        Width = width;
        _window = new RollingWindow(period);
    }

    public int Period { get; }
    public double Width { get; }
    public bool IsReady => _window.IsFull;
    public double Middle => IsReady ? _window.Mean : double.NaN;
    public double StandardDeviation => IsReady ? Math.Sqrt(_window.PopulationVariance) : double.NaN;
    public double Upper => Middle + Width * StandardDeviation;
    public double Lower => Middle - Width * StandardDeviation;

    public bool Update(double value)
    {
        PeriodGuard.Finite(value, nameof(BollingerBands));
        _window.Add(value);
        return IsReady;
    }

    public void Reset() => _window.Reset();
}
