using HueyP.Domain.Performance;

namespace HueyP.Domain.Tests.Performance;

public class PerformanceReportTests
{
    private static readonly double[] Returns = [0.01, 0.1, -0.04, 0.02, 0.03, 0.02, 0.01, -0.1];
    private static readonly DateTime Day = new(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);

    private static ClosedTrade Trade(int openHour, int closeHour, decimal pnl) =>
        new("EURUSD", Day.AddHours(openHour), Day.AddHours(closeHour), pnl);

    [Fact]
    public void Report_figures_follow_the_reference_conventions()
    {
        var report = PerformanceReport.Create(Returns, 252, []);

        Assert.Equal(8, report.Observations);
        Assert.Equal(2.330292797300439, report.Cagr!.Value, 10);
        Assert.Equal(2.605531251673693, report.Sortino!.Value, 10);   // downside risk over all 8 observations
        Assert.Equal(-0.1, report.MaxDrawdown!.Value, 10);
        Assert.Equal(23.302927973004405, report.Calmar!.Value, 8);
        Assert.Equal(-0.079, report.ValueAtRisk95!.Value, 10);         // 5th percentile, linear interpolation
        Assert.Equal(-0.1, report.ExpectedShortfall95!.Value, 10);
        Assert.Equal(2, report.MaxDrawdownDurationPeriods);   // two days under the 1.111 peak
    }

    [Fact]
    public void Undefined_figures_are_null_never_NaN()
    {
        var one = PerformanceReport.Create([0.01], 252, []);
        Assert.Null(one.Sharpe);
        Assert.Null(one.AnnualVolatility);
        Assert.Null(one.Calmar);                 // no drawdown, Calmar undefined

        var flat = PerformanceReport.Create(Enumerable.Repeat(0.01, 9).ToArray(), 252, []);
        Assert.Null(flat.Sharpe);                // +∞ in the reference: not a number a report can show

        var empty = PerformanceReport.Create([], 252, []);
        Assert.Null(empty.TotalReturn);
        Assert.Null(empty.MaxDrawdown);
        Assert.Null(empty.Trades.WinRate);
        Assert.Null(empty.Trades.ProfitFactor);
    }

    [Fact]
    public void Drawdown_duration_counts_periods_until_recovery()
    {
        // peak after day 1, under water for days 2-4, new high on day 5, under water for the last 2 days
        Assert.Equal(3, ReturnMetrics.MaxDrawdownDuration([0.05, -0.02, -0.01, 0.02, 0.05, -0.01, -0.01]));
    }

    [Fact]
    public void Trade_statistics_count_wins_losses_streaks_and_profit_factor()
    {
        var trades = new[]
        {
            Trade(0, 1, 100m), Trade(1, 2, 50m), Trade(2, 3, -40m), Trade(3, 4, -20m),
            Trade(4, 5, -20m), Trade(5, 6, 0m), Trade(6, 7, 30m),
        };
        var stats = TradeStatistics.From(trades);

        Assert.Equal(7, stats.TradeCount);
        Assert.Equal(3, stats.Wins);
        Assert.Equal(3, stats.Losses);
        Assert.Equal(3 / 7.0, stats.WinRate!.Value, 12);
        Assert.Equal(60m, stats.AverageWin);
        Assert.Equal(-80m / 3, stats.AverageLoss);
        Assert.Equal(180.0 / 80.0, stats.ProfitFactor!.Value, 12);
        Assert.Equal(2, stats.LongestWinStreak);
        Assert.Equal(3, stats.LongestLossStreak);
    }

    [Fact]
    public void Exposure_counts_overlapping_trades_once()
    {
        var trades = new[] { Trade(0, 6, 1m), Trade(3, 9, 1m), Trade(18, 24, -1m) };
        var stats = TradeStatistics.From(trades, Day, Day.AddDays(1));
        Assert.Equal(15 / 24.0, stats.Exposure!.Value, 12);
    }

    [Fact]
    public void Returns_are_derived_from_a_NAV_series()
    {
        var returns = PerformanceReport.ReturnsFromNav([10_000m, 10_100m, 9_999m]);
        Assert.Equal(0.01, returns[0], 12);
        Assert.Equal(-0.01, returns[1], 12);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_clear_error()
    {
        Assert.Throws<ArgumentException>(() => PerformanceReport.Create([0.01, double.PositiveInfinity], 252, []));
        Assert.Throws<ArgumentException>(() => PerformanceReport.Create([-1.5], 252, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => PerformanceReport.Create([0.01], 0, []));
        Assert.Throws<ArgumentException>(() => TradeStatistics.From([Trade(5, 1, 1m)]));
    }
}
