using HueyP.Domain.Bars;
using HueyP.Domain.Strategy;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Strategy;

public class EmaCrossoverStrategyTests
{
    private static readonly EmaCrossoverOptions Small = new()
    {
        Timeframe = Timeframe.M1, FastPeriod = 2, SlowPeriod = 4, RsiPeriod = 3, AtrPeriod = 3,
        RsiOverbought = 90, RsiOversold = 10, StopLossAtrMultiple = 1.5, TakeProfitAtrMultiple = 3,
    };

    private static readonly DateTime Start = new(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Bar B(int i, double close) =>
        new("EURUSD", Timeframe.M1, Start.AddMinutes(i), close, close + 0.5, close - 0.5, close, 0.0002, 0.0002, 10, 10);

    private static List<(int Index, Signal Signal)> Run(EmaCrossoverStrategy strategy, params double[] closes)
    {
        var signals = new List<(int, Signal)>();
        for (var i = 0; i < closes.Length; i++)
            if (strategy.OnBarClosed(B(i, closes[i])) is { } s) signals.Add((i, s));
        return signals;
    }

    [Fact]
    public void Fast_crossing_above_slow_gives_a_long_with_atr_stops()
    {
        var strategy = new EmaCrossoverStrategy("EURUSD", Small);
        // falling, then a turn: fast EMA(2) overtakes slow EMA(4) on the first strong up bar
        var signals = Run(strategy, 110, 109, 108, 107, 106, 105, 104, 105, 106.5);
        var (index, signal) = Assert.Single(signals);
        Assert.Equal(Side.Buy, signal.Side);
        Assert.Equal(Start.AddMinutes(index), signal.BarTimeUtc);
        Assert.True(signal.Indicators.FastEma > signal.Indicators.SlowEma);
        Assert.Equal(signal.Indicators.Close, signal.EntryReference);
        Assert.Equal(signal.EntryReference - 1.5 * signal.Indicators.Atr, signal.StopLoss, 12);
        Assert.Equal(signal.EntryReference + 3.0 * signal.Indicators.Atr, signal.TakeProfit, 12);
        Assert.InRange(signal.Confidence, 0.5, 1.0);
        Assert.Equal("ema-crossover-rsi", signal.Strategy);
    }

    [Fact]
    public void Fast_crossing_below_slow_gives_a_short_with_stop_above()
    {
        var strategy = new EmaCrossoverStrategy("EURUSD", Small);
        var (_, signal) = Assert.Single(Run(strategy, 100, 101, 102, 103, 104, 105, 106, 105, 103.5));
        Assert.Equal(Side.Sell, signal.Side);
        Assert.True(signal.StopLoss > signal.EntryReference);
        Assert.True(signal.TakeProfit < signal.EntryReference);
    }

    [Fact]
    public void No_signal_without_a_cross()
    {
        var strategy = new EmaCrossoverStrategy("EURUSD", Small);
        Assert.Empty(Run(strategy, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109));
    }

    [Fact]
    public void No_signal_during_warm_up()
    {
        var strategy = new EmaCrossoverStrategy("EURUSD", Small with { SlowPeriod = 50 });
        Assert.Empty(Run(strategy, 110, 109, 108, 107, 106, 105, 104, 105, 106.5));
        Assert.True(double.IsNaN(strategy.Indicators.SlowEma));
    }

    [Fact]
    public void Rsi_filter_blocks_a_long_when_overbought()
    {
        var closes = new double[] { 110, 109, 108, 107, 106, 105, 104, 105, 106.5 };
        var permissive = Run(new EmaCrossoverStrategy("EURUSD", Small with { RsiOverbought = 100 }), closes);
        var (_, signal) = Assert.Single(permissive);
        var rsiAtCross = signal.Indicators.Rsi;

        var strict = new EmaCrossoverStrategy("EURUSD", Small with { RsiOverbought = Math.Max(51, Math.Floor(rsiAtCross)) });
        Assert.True(rsiAtCross >= strict.Options.RsiOverbought);
        Assert.Empty(Run(strict, closes));
    }

    [Fact]
    public void Rsi_filter_blocks_a_short_when_oversold()
    {
        var closes = new double[] { 100, 101, 102, 103, 104, 105, 106, 105, 103.5 };
        var (_, signal) = Assert.Single(Run(new EmaCrossoverStrategy("EURUSD", Small with { RsiOversold = 1 }), closes));
        var strict = new EmaCrossoverStrategy("EURUSD", Small with { RsiOversold = Math.Min(49, Math.Ceiling(signal.Indicators.Rsi)) });
        Assert.Empty(Run(strict, closes));
    }

    [Fact]
    public void Invalid_options_are_reported_by_key()
    {
        var errors = (Small with { FastPeriod = 30, SlowPeriod = 20, RsiOverbought = 120, StopLossAtrMultiple = 0 }).Validate()
            .Select(e => e.ToString()).ToList();
        Assert.Contains("hueyp.strategy.ema_crossover.fast_period = 30: must be less than slow_period (20)", errors);
        Assert.Contains("hueyp.strategy.ema_crossover.rsi_overbought = 120: must be in [51,100]", errors);
        Assert.Contains("hueyp.strategy.ema_crossover.stop_loss_atr_multiple = 0: must be in [0.1,50]", errors);
        Assert.Empty(EmaCrossoverOptions.Default.Validate());

        var ex = Assert.Throws<InvalidOptionsException>(() => new EmaCrossoverStrategy("EURUSD", Small with { AtrPeriod = 0 }));
        Assert.Contains("hueyp.strategy.ema_crossover.atr_period = 0", ex.Message);
    }

    [Fact]
    public void Out_of_order_bars_are_refused()
    {
        var strategy = new EmaCrossoverStrategy("EURUSD", Small);
        strategy.OnBarClosed(B(5, 100));
        var ex = Assert.Throws<ArgumentException>(() => strategy.OnBarClosed(B(4, 100)));
        Assert.Contains("bars must arrive in time order", ex.Message);
    }
}
