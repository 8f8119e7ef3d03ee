namespace HueyP.Domain.Performance;

/// <summary>
/// Every headline figure for a period. Ratios and return figures come from periodic returns (annualised with
/// <see cref="PeriodsPerYear"/>, 252 for daily); trade figures from the closed-trade list. NaN never leaks:
/// a figure that is undefined (too few observations, no drawdown for Calmar, zero deviation) is null.
/// VaR and expected shortfall are historical at 95 % and reported as returns (a loss is negative).
/// </summary>
public sealed record PerformanceReport(
    int Observations,
    int PeriodsPerYear,
    double? TotalReturn,
    double? Cagr,
    double? AnnualVolatility,
    double? Sharpe,
    double? Sortino,
    double? MaxDrawdown,
    int MaxDrawdownDurationPeriods,
    double? Calmar,
    double? ValueAtRisk95,
    double? ExpectedShortfall95,
    TradeStatistics Trades)
{
    public static PerformanceReport Create(IReadOnlyList<double> periodicReturns, int periodsPerYear,
        IReadOnlyList<ClosedTrade> trades, DateTime? periodStartUtc = null, DateTime? periodEndUtc = null)
    {
        ArgumentNullException.ThrowIfNull(periodicReturns);
        ArgumentNullException.ThrowIfNull(trades);
        if (periodsPerYear < 1) throw new ArgumentOutOfRangeException(nameof(periodsPerYear), periodsPerYear, "must be at least 1");
        if (periodicReturns.Any(r => double.IsInfinity(r) || r <= -1))
            throw new ArgumentException("returns must be finite and above -100 % (NaN marks a missing period)", nameof(periodicReturns));
        var r = periodicReturns;
        return new PerformanceReport(
            r.Count, periodsPerYear,
            Finite(ReturnMetrics.TotalReturn(r)),
            Finite(ReturnMetrics.Cagr(r, periodsPerYear)),
            Finite(ReturnMetrics.AnnualVolatility(r, periodsPerYear)),
            Finite(ReturnMetrics.Sharpe(r, 0, periodsPerYear)),
            Finite(ReturnMetrics.Sortino(r, 0, periodsPerYear)),
            Finite(ReturnMetrics.MaxDrawdown(r)),
            ReturnMetrics.MaxDrawdownDuration(r),
            Finite(ReturnMetrics.Calmar(r, periodsPerYear)),
            Finite(ReturnMetrics.ValueAtRisk(r)),
            Finite(ReturnMetrics.ExpectedShortfall(r)),
            TradeStatistics.From(trades, periodStartUtc, periodEndUtc));
    }

    /// <summary>Simple returns between consecutive NAV values (e.g. daily closes).</summary>
    public static double[] ReturnsFromNav(IReadOnlyList<decimal> navs)
    {
        var returns = new double[Math.Max(0, navs.Count - 1)];
        for (var i = 1; i < navs.Count; i++)
        {
            if (navs[i - 1] <= 0) throw new ArgumentException($"NAV at index {i - 1} is not positive", nameof(navs));
            returns[i - 1] = (double)(navs[i] / navs[i - 1] - 1m);
        }
        return returns;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
