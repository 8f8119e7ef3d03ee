using HueyP.Domain.Indicators;

namespace HueyP.Domain.Tests.Indicators;

public class HandComputedIndicatorTests
{
    [Fact]
    public void Atr_leaves_out_first_bar_then_uses_wilder_smoothing()
    {
        var atr = new Atr(3);
        // (high, low, close); true ranges from bar 2: max(h-l, |h-pc|, |l-pc|)
        Assert.False(atr.Update(10, 8, 9));   // no previous close: left out
        Assert.False(atr.Update(11, 9, 10));  // TR = max(2, 2, 0) = 2
        Assert.False(atr.Update(12, 10, 11)); // TR = max(2, 2, 0) = 2
        Assert.True(atr.Update(15, 11, 14));  // TR = max(4, 4, 0) = 4 -> seed mean (2+2+4)/3
        Assert.Equal(8.0 / 3.0, atr.Value, 12);
        atr.Update(14, 13, 13.5);             // TR = max(1, 0, 1) = 1 -> (8/3*2 + 1)/3
        Assert.Equal((8.0 / 3.0 * 2 + 1) / 3, atr.Value, 12);
        Assert.Equal(1.0, atr.LastTrueRange, 12);
    }

    [Fact]
    public void Atr_true_range_includes_gap_from_previous_close()
    {
        var atr = new Atr(1);
        atr.Update(10, 9, 9.5);
        atr.Update(13, 12, 12.5); // gap up: |13 - 9.5| = 3.5 > 1
        Assert.Equal(3.5, atr.Value, 12);
    }

    [Fact]
    public void Bollinger_uses_population_standard_deviation()
    {
        var bands = new BollingerBands(4, 2.0);
        foreach (var v in new[] { 1.0, 2.0, 3.0 }) Assert.False(bands.Update(v));
        Assert.True(bands.Update(4.0));
        // mean 2.5, population variance (2.25+0.25+0.25+2.25)/4 = 1.25
        Assert.Equal(2.5, bands.Middle, 12);
        Assert.Equal(Math.Sqrt(1.25), bands.StandardDeviation, 12);
        Assert.Equal(2.5 + 2 * Math.Sqrt(1.25), bands.Upper, 12);
        Assert.Equal(2.5 - 2 * Math.Sqrt(1.25), bands.Lower, 12);

        bands.Update(9.0); // window 2,3,4,9: mean 4.5, variance (6.25+2.25+0.25+20.25)/4 = 7.25
        Assert.Equal(4.5, bands.Middle, 12);
        Assert.Equal(Math.Sqrt(7.25), bands.StandardDeviation, 12);
    }

    [Fact]
    public void Rolling_standard_deviation_of_constant_series_is_zero_not_negative_noise()
    {
        var sd = new RollingStandardDeviation(5);
        for (var i = 0; i < 1000; i++) sd.Update(1.1);
        Assert.Equal(0.0, sd.Value);
    }

    [Fact]
    public void Rolling_standard_deviation_stays_exact_over_long_runs()
    {
        var sd = new RollingStandardDeviation(3);
        var random = new Random(7);
        for (var i = 0; i < 100_000; i++) sd.Update(1000 + random.NextDouble());
        sd.Update(1.0);
        sd.Update(2.0);
        sd.Update(3.0);
        Assert.Equal(Math.Sqrt(2.0 / 3.0), sd.Value, 9);
        Assert.Equal(2.0, sd.Mean, 9);
    }

    [Fact]
    public void Not_ready_indicators_report_nan()
    {
        Assert.True(double.IsNaN(new Sma(3).Value));
        Assert.True(double.IsNaN(new Ema(3).Value));
        Assert.True(double.IsNaN(new Rsi(3).Value));
        Assert.True(double.IsNaN(new Atr(3).Value));
        Assert.True(double.IsNaN(new BollingerBands(3).Upper));
        Assert.True(double.IsNaN(new Macd().Histogram));
    }

    [Fact]
    public void Rsi_with_only_gains_reads_100()
    {
        var rsi = new Rsi(3);
        foreach (var v in new[] { 1.0, 2.0, 3.0, 4.0 }) rsi.Update(v);
        Assert.Equal(100.0, rsi.Value);
    }

    [Fact]
    public void Reset_starts_warm_up_again()
    {
        var ema = new Ema(2);
        ema.Update(1);
        ema.Update(3);
        Assert.True(ema.IsReady);
        ema.Reset();
        Assert.False(ema.IsReady);
        ema.Update(5);
        ema.Update(7);
        Assert.Equal(6.0, ema.Value);
    }

    [Fact]
    public void Bad_input_is_refused_with_a_clear_message()
    {
        var nan = Assert.Throws<ArgumentOutOfRangeException>(() => new Sma(3).Update(double.NaN));
        Assert.Contains("Sma", nan.Message);
        Assert.Contains("finite", nan.Message);
        var period = Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(0));
        Assert.Contains("period must be at least 1", period.Message);
        var macd = Assert.Throws<ArgumentOutOfRangeException>(() => new Macd(26, 12, 9));
        Assert.Contains("fastPeriod", macd.Message);
        var atr = Assert.Throws<ArgumentOutOfRangeException>(() => new Atr(3).Update(1, 2, 1.5));
        Assert.Contains("low 2 is above high 1", atr.Message);
    }
}
