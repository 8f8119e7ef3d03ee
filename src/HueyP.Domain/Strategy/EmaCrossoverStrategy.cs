using HueyP.Domain.Bars;
using HueyP.Domain.Indicators;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Strategy;

/// <summary>
/// The default strategy: go long when the fast EMA crosses above the slow EMA, short when it crosses below,
/// on closed bars only (an open bar's close is still moving). RSI vetoes chasing: no long when overbought,
/// no short when oversold. Stop-loss and take-profit are ATR multiples away from the bar close.
/// </summary>
public sealed class EmaCrossoverStrategy
{
    private readonly EmaCrossoverOptions _options;
    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Rsi _rsi;
    private readonly Atr _atr;
    private double _previousSpread = double.NaN;
    private DateTime _lastBarTime = DateTime.MinValue;

    public EmaCrossoverStrategy(string symbol, EmaCrossoverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        InvalidOptionsException.ThrowIfAny(options.Validate());
        if (string.IsNullOrWhiteSpace(symbol)) throw new ArgumentException("Strategy needs a symbol.", nameof(symbol));
        Symbol = symbol;
        _options = options;
        _fast = new Ema(options.FastPeriod);
        _slow = new Ema(options.SlowPeriod);
        _rsi = new Rsi(options.RsiPeriod);
        _atr = new Atr(options.AtrPeriod);
    }

    public string Symbol { get; }
    public EmaCrossoverOptions Options => _options;

    /// <summary>The latest indicator values (NaN where still warming up).</summary>
    public IndicatorSnapshot Indicators { get; private set; } = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Feeds one closed bar; returns a signal when the EMAs crossed on it and RSI allows the side.</summary>
    public Signal? OnBarClosed(in Bar bar)
    {
        if (!string.Equals(bar.Symbol, Symbol, StringComparison.Ordinal))
            throw new ArgumentException($"Strategy for {Symbol} got a bar for {bar.Symbol}.", nameof(bar));
        if (bar.OpenTimeUtc <= _lastBarTime)
            throw new ArgumentException(
                $"Strategy for {Symbol} got bar {bar.OpenTimeUtc:O} after bar {_lastBarTime:O}: bars must arrive in time order.", nameof(bar));
        _lastBarTime = bar.OpenTimeUtc;

        _fast.Update(bar.Close);
        _slow.Update(bar.Close);
        _rsi.Update(bar.Close);
        _atr.Update(bar.High, bar.Low, bar.Close);
        Indicators = new IndicatorSnapshot(bar.Close, _fast.Value, _slow.Value, _rsi.Value, _atr.Value);

        if (!_fast.IsReady || !_slow.IsReady) return null;
        var spread = _fast.Value - _slow.Value;
        var previous = _previousSpread;
        _previousSpread = spread;
        if (double.IsNaN(previous) || !Indicators.IsComplete || _atr.Value <= 0) return null;

        Side side;
        if (previous <= 0 && spread > 0) side = Side.Buy;
        else if (previous >= 0 && spread < 0) side = Side.Sell;
        else return null;

        if (side == Side.Buy && _rsi.Value >= _options.RsiOverbought) return null;
        if (side == Side.Sell && _rsi.Value <= _options.RsiOversold) return null;

        var stopDistance = _options.StopLossAtrMultiple * _atr.Value;
        var targetDistance = _options.TakeProfitAtrMultiple * _atr.Value;
        var direction = side == Side.Buy ? 1.0 : -1.0;
        return new Signal(
            _options.Name, Symbol, side, bar.OpenTimeUtc, bar.Close,
            StopLoss: bar.Close - direction * stopDistance,
            TakeProfit: bar.Close + direction * targetDistance,
            Confidence: Confidence(side, Math.Abs(spread)),
            Indicators);
    }

    /// <summary>
    /// 0.5..1: half from how decisively the EMAs separated (relative to ATR), half from how much room RSI leaves
    /// before the overbought/oversold limit. A barely-crossing signal into an exhausted move scores lowest.
    /// </summary>
    private double Confidence(Side side, double separation)
    {
        var separationScore = Math.Clamp(separation / _atr.Value, 0, 1);
        var room = side == Side.Buy
            ? (_options.RsiOverbought - _rsi.Value) / (_options.RsiOverbought - 50)
            : (_rsi.Value - _options.RsiOversold) / (50 - _options.RsiOversold);
        var rsiScore = Math.Clamp(room, 0, 1);
        return 0.5 + 0.25 * separationScore + 0.25 * rsiScore;
    }
}
