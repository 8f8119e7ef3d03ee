namespace HueyP.Domain.Performance;

/// <summary>
/// Return-series metrics with the empyrical conventions (see MetricVectors in the tests): periodic simple returns,
/// NaN marks a missing observation (compounded as 0, skipped by means and deviations, counted in the length used to
/// annualise), sample standard deviation (ddof = 1), downside risk over all observations, linear-interpolated
/// percentiles. These functions return raw IEEE values (NaN, ±∞) exactly like the reference; the
/// <see cref="PerformanceReport"/> turns anything non-finite into null.
/// </summary>
public static class ReturnMetrics
{
    public const int TradingDaysPerYear = 252;

    public static double[] CumulativeReturns(IReadOnlyList<double> returns, double startingValue = 0)
    {
        var result = new double[returns.Count];
        var wealth = 1.0;
        for (var i = 0; i < returns.Count; i++)
        {
            wealth *= 1 + (double.IsNaN(returns[i]) ? 0 : returns[i]);
            result[i] = startingValue == 0 ? wealth - 1 : wealth * startingValue;
        }
        return result;
    }

    public static double TotalReturn(IReadOnlyList<double> returns, double startingValue = 0) =>
        returns.Count == 0 ? double.NaN : CumulativeReturns(returns, startingValue)[^1];

    /// <summary>Worst peak-to-trough fall of compounded wealth, as a negative fraction (0 when it never fell).</summary>
    public static double MaxDrawdown(IReadOnlyList<double> returns)
    {
        if (returns.Count == 0) return double.NaN;
        var wealth = CumulativeReturns(returns, 100);
        double peak = 100, worst = 0;
        foreach (var w in wealth)
        {
            peak = Math.Max(peak, w);
            worst = Math.Min(worst, (w - peak) / peak);
        }
        return worst;
    }

    /// <summary>Longest run of periods spent below a previous wealth peak (to recovery, or to the end if none).</summary>
    public static int MaxDrawdownDuration(IReadOnlyList<double> returns)
    {
        var wealth = CumulativeReturns(returns, 100);
        double peak = 100;
        int run = 0, longest = 0;
        foreach (var w in wealth)
        {
            if (w >= peak) { peak = w; run = 0; }
            else longest = Math.Max(longest, ++run);
        }
        return longest;
    }

    /// <summary>Compound annual growth rate; the number of years is the observation count over the periods per year.</summary>
    public static double Cagr(IReadOnlyList<double> returns, int periodsPerYear = TradingDaysPerYear)
    {
        if (returns.Count == 0) return double.NaN;
        var ending = TotalReturn(returns, 1);
        var years = returns.Count / (double)periodsPerYear;
        return Math.Pow(ending, 1 / years) - 1;
    }

    public static double AnnualVolatility(IReadOnlyList<double> returns, int periodsPerYear = TradingDaysPerYear) =>
        SampleStd(Present(returns)) * Math.Sqrt(periodsPerYear);

    public static double Sharpe(IReadOnlyList<double> returns, double riskFree = 0, int periodsPerYear = TradingDaysPerYear) =>
        Sharpe(returns, returns.Select(_ => riskFree).ToList(), periodsPerYear);

    /// <summary>Sharpe ratio against a per-period risk-free (or benchmark) series of the same dates.</summary>
    public static double Sharpe(IReadOnlyList<double> returns, IReadOnlyList<double> riskFree, int periodsPerYear = TradingDaysPerYear)
    {
        if (returns.Count < 2) return double.NaN;
        if (riskFree.Count != returns.Count) throw new ArgumentException("risk-free series must have one value per return", nameof(riskFree));
        var excess = Present(returns.Select((r, i) => r - riskFree[i]).ToList());
        return Mean(excess) / SampleStd(excess) * Math.Sqrt(periodsPerYear);
    }

    /// <summary>Root mean square of shortfalls below <paramref name="requiredReturn"/>, averaged over ALL observations.</summary>
    public static double DownsideRisk(IReadOnlyList<double> returns, double requiredReturn = 0, int periodsPerYear = TradingDaysPerYear)
    {
        var present = Present(returns);
        if (present.Length == 0) return double.NaN;
        var squares = present.Select(r => Math.Pow(Math.Min(r - requiredReturn, 0), 2)).ToArray();
        return Math.Sqrt(Mean(squares)) * Math.Sqrt(periodsPerYear);
    }

    public static double Sortino(IReadOnlyList<double> returns, double requiredReturn = 0, int periodsPerYear = TradingDaysPerYear)
    {
        if (returns.Count < 2) return double.NaN;
        var excess = Present(returns).Select(r => r - requiredReturn).ToArray();
        return Mean(excess) * periodsPerYear / DownsideRisk(returns, requiredReturn, periodsPerYear);
    }

    public static double Calmar(IReadOnlyList<double> returns, int periodsPerYear = TradingDaysPerYear)
    {
        var maxDrawdown = MaxDrawdown(returns);
        if (!(maxDrawdown < 0)) return double.NaN;
        var ratio = Cagr(returns, periodsPerYear) / Math.Abs(maxDrawdown);
        return double.IsInfinity(ratio) ? double.NaN : ratio;
    }

    /// <summary>Historical value at risk: the <paramref name="cutoff"/> percentile of returns (a loss is negative).</summary>
    public static double ValueAtRisk(IReadOnlyList<double> returns, double cutoff = 0.05) => Percentile(Present(returns), cutoff);

    /// <summary>Expected shortfall: mean of the int((n−1)·cutoff)+1 worst returns.</summary>
    public static double ExpectedShortfall(IReadOnlyList<double> returns, double cutoff = 0.05)
    {
        var sorted = Present(returns).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var k = (int)((sorted.Length - 1) * cutoff);
        return Mean(sorted.AsSpan(0, k + 1));
    }

    /// <summary>numpy.percentile with linear interpolation; <paramref name="fraction"/> in [0, 1].</summary>
    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        if (fraction is < 0 or > 1 || double.IsNaN(fraction)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1]");
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var position = (sorted.Length - 1) * fraction;
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var weight = position - lower;
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight;
    }

    private static double[] Present(IReadOnlyList<double> values) => values.Where(v => !double.IsNaN(v)).ToArray();

    private static double Mean(ReadOnlySpan<double> values) => values.Length == 0 ? double.NaN : NumpySum.Sum(values) / values.Length;

    private static double SampleStd(double[] values)
    {
        if (values.Length < 2) return double.NaN;
        var mean = Mean(values);
        var squares = values.Select(v => (v - mean) * (v - mean)).ToArray();
        return Math.Sqrt(NumpySum.Sum(squares) / (values.Length - 1));
    }
}
