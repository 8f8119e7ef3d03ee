using HueyP.Domain.Market;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Synthetic;

/// <summary>
/// A seeded regime-switching random walk over many symbols. Each symbol's regime follows a Markov chain
/// (calm / trending / volatile); each quote moves the symbol's mid by a normal step scaled by its tick volatility and
/// regime, plus drift when trending and occasional gaps when volatile. The spread widens with the regime and off-hours.
/// Time advances only by the data clock, in whole milliseconds, with gaps shorter in busy sessions; the weekend is
/// skipped. Prices are whole points (ask ≥ bid + 1 point), so ask &gt; bid always.
/// </summary>
public sealed class SyntheticQuoteReader : IQuoteReader
{
    private readonly SyntheticMarketOptions _options;
    private readonly DeterministicRandom _random;
    private readonly SyntheticSymbol[] _symbols;
    private readonly double[] _cumulativeActivity;
    private readonly double[] _midPoints;
    private readonly double[] _floorPoints;
    private readonly MarketRegime[] _regimes;
    private readonly int[] _trendDirections;
    private readonly RegimeProfile[] _profiles;
    private DateTime _clock;
    private long _emitted;

    public SyntheticQuoteReader(SyntheticMarketOptions options)
    {
        options.Validate();
        _options = options;
        _random = new DeterministicRandom(options.Seed);
        _symbols = [.. options.Symbols];
        _cumulativeActivity = new double[_symbols.Length];
        _midPoints = new double[_symbols.Length];
        _floorPoints = new double[_symbols.Length];
        _regimes = new MarketRegime[_symbols.Length];
        _trendDirections = new int[_symbols.Length];
        _profiles = [options.Calm, options.Trending, options.Volatile];
        var activity = 0.0;
        for (var i = 0; i < _symbols.Length; i++)
        {
            activity += _symbols[i].Activity;
            _cumulativeActivity[i] = activity;
            _midPoints[i] = Math.Round(_symbols[i].StartPrice * _symbols[i].PointsPerUnit);
            _floorPoints[i] = _midPoints[i] * 0.1;
            _trendDirections[i] = 1;
        }

        _clock = TradingSessions.IsMarketOpen(options.StartUtc) ? options.StartUtc : TradingSessions.NextWeeklyOpen(options.StartUtc);
        Name = $"Synthetic seed {options.Seed}";
        Report = new FeedReport(Name);
    }

    public string Name { get; }

    public FeedReport Report { get; }

    /// <summary>Regime of the symbol of the last quote returned.</summary>
    public MarketRegime LastRegime { get; private set; }

    /// <summary>Index into the options' symbols of the last quote returned.</summary>
    public int LastSymbolIndex { get; private set; }

    /// <summary>Last quote's prices in whole points (price × <see cref="SyntheticSymbol.PointsPerUnit"/>).</summary>
    public long LastBidPoints { get; private set; }

    public long LastAskPoints { get; private set; }

    public bool TryRead(out Quote quote)
    {
        if (_emitted >= _options.MaxQuotes)
        {
            quote = default;
            return false;
        }

        AdvanceClock();
        if (_clock >= _options.EndUtc)
        {
            quote = default;
            return false;
        }

        var index = PickSymbol();
        var symbol = _symbols[index];
        var regime = NextRegime(index);
        var profile = _profiles[(int)regime];

        var sigmaPoints = symbol.TickVolatilityPips * 10 * profile.VolatilityMultiplier;
        var mid = _midPoints[index] + sigmaPoints * (_random.NextGaussian() + profile.DriftPerTick * _trendDirections[index]);
        if (_random.NextDouble() < profile.JumpProbability)
            mid += (50 + 100 * _random.NextDouble()) * (_random.NextDouble() < 0.5 ? -1 : 1);
        if (mid < _floorPoints[index])
            mid = 2 * _floorPoints[index] - mid;
        _midPoints[index] = mid;

        var session = TradingSessions.At(_clock);
        var spreadPoints = Math.Max(1L, (long)Math.Round(symbol.TypicalSpreadPips * 10 * profile.SpreadMultiplier
            * TradingSessions.SpreadMultiplierOf(session) * (0.8 + 0.4 * _random.NextDouble())));
        var bidPoints = (long)Math.Round(mid - spreadPoints * 0.5);
        var askPoints = bidPoints + spreadPoints;

        // Division by the exact power of ten rounds to the same double that parsing the printed price gives.
        var scale = (double)symbol.PointsPerUnit;
        quote = new Quote(symbol.Name, _clock, bidPoints / scale, askPoints / scale);
        LastRegime = regime;
        LastSymbolIndex = index;
        LastBidPoints = bidPoints;
        LastAskPoints = askPoints;
        _emitted++;
        Report.RowsRead++;
        Report.QuotesEmitted++;
        return true;
    }

    private void AdvanceClock()
    {
        var rate = _options.TicksPerSecond * TradingSessions.ActivityOf(TradingSessions.At(_clock));
        var gapMilliseconds = (long)(_random.NextDouble() * 2000.0 / rate);
        var next = _clock.AddTicks(gapMilliseconds * TimeSpan.TicksPerMillisecond);
        _clock = TradingSessions.IsMarketOpen(next) ? next : TradingSessions.NextWeeklyOpen(next);
    }

    private int PickSymbol()
    {
        var target = _random.NextDouble() * _cumulativeActivity[^1];
        for (var i = 0; i < _cumulativeActivity.Length - 1; i++)
        {
            if (target < _cumulativeActivity[i])
                return i;
        }

        return _cumulativeActivity.Length - 1;
    }

    private MarketRegime NextRegime(int index)
    {
        var current = _regimes[index];
        if (_random.NextDouble() >= _profiles[(int)current].LeaveProbabilityPerTick)
            return current;

        // Leave to one of the two other regimes with equal chance.
        var next = (MarketRegime)(((int)current + (_random.NextDouble() < 0.5 ? 1 : 2)) % 3);
        if (next == MarketRegime.Trending)
            _trendDirections[index] = _random.NextDouble() < 0.5 ? -1 : 1;
        _regimes[index] = next;
        return next;
    }

    public void Dispose()
    {
    }
}
