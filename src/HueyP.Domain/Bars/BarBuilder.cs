using HueyP.Domain.Market;

namespace HueyP.Domain.Bars;

public enum BarUpdate
{
    /// <summary>The first usable quote opened the first bar.</summary>
    Opened,
    /// <summary>The quote fell into the bar in progress.</summary>
    Updated,
    /// <summary>The quote belongs to a later bar: the previous bar is closed (see the out parameter) and a new one opened.</summary>
    ClosedAndOpened,
    /// <summary>The quote is older than the bar in progress; bars are never reopened.</summary>
    IgnoredLate,
    /// <summary>Non-finite, non-positive or crossed (bid &gt; ask) prices.</summary>
    IgnoredInvalid,
}

/// <summary>
/// Builds bars of one symbol and timeframe from quotes, driven only by quote times (never a clock), so replays
/// are deterministic. A bar closes when the first quote of a later bar arrives; a gap with no quotes produces no
/// bars at all, because a bar with no quotes would invent prices nobody could trade.
/// Allocation-free: all state lives in fields.
/// </summary>
public sealed class BarBuilder
{
    private bool _hasBar;
    private DateTime _open;
    private double _o, _h, _l, _c, _spreadSum, _maxSpread, _volume;
    private int _ticks;

    public BarBuilder(string symbol, Timeframe timeframe)
    {
        if (string.IsNullOrWhiteSpace(symbol))
            throw new ArgumentException("Bar builder needs a symbol.", nameof(symbol));
        if (!Enum.IsDefined(timeframe))
            throw new ArgumentOutOfRangeException(nameof(timeframe), timeframe, "Unknown timeframe.");
        Symbol = symbol;
        Timeframe = timeframe;
    }

    public string Symbol { get; }
    public Timeframe Timeframe { get; }

    /// <summary>The bar being built, or null before the first quote.</summary>
    public Bar? Current => _hasBar ? Snapshot() : null;

    public BarUpdate Add(in Quote quote, out Bar closedBar)
    {
        closedBar = default;
        if (!string.Equals(quote.Symbol, Symbol, StringComparison.Ordinal))
            throw new ArgumentException($"Bar builder for {Symbol} got a quote for {quote.Symbol}.", nameof(quote));
        if (!IsUsable(quote)) return BarUpdate.IgnoredInvalid;

        var barOpen = Timeframe.BarOpen(quote.TimeUtc);
        if (!_hasBar)
        {
            Start(barOpen, quote);
            _hasBar = true;
            return BarUpdate.Opened;
        }

        if (barOpen < _open) return BarUpdate.IgnoredLate;
        if (barOpen == _open)
        {
            Extend(quote);
            return BarUpdate.Updated;
        }

        closedBar = Snapshot();
        Start(barOpen, quote);
        return BarUpdate.ClosedAndOpened;
    }

    private static bool IsUsable(in Quote quote) =>
        double.IsFinite(quote.Bid) && double.IsFinite(quote.Ask) && quote.Bid > 0 && quote.Ask >= quote.Bid
        && (double.IsFinite(quote.Volume) && quote.Volume >= 0);

    private void Start(DateTime barOpen, in Quote quote)
    {
        _open = barOpen;
        var mid = quote.Mid;
        _o = _h = _l = _c = mid;
        _spreadSum = _maxSpread = quote.Spread;
        _volume = quote.Volume;
        _ticks = 1;
    }

    private void Extend(in Quote quote)
    {
        var mid = quote.Mid;
        if (mid > _h) _h = mid;
        if (mid < _l) _l = mid;
        _c = mid;
        var spread = quote.Spread;
        _spreadSum += spread;
        if (spread > _maxSpread) _maxSpread = spread;
        _volume += quote.Volume;
        _ticks++;
    }

    private Bar Snapshot() =>
        new(Symbol, Timeframe, _open, _o, _h, _l, _c, _spreadSum / _ticks, _maxSpread, _ticks, _volume);
}
