using HueyP.Domain.Market;

namespace HueyP.MarketData.Validation;

/// <summary>
/// The single gate every reader passes rows through: counts and reports rejects (or throws in strict mode) and runs the
/// per-symbol breakers. A reader calls <see cref="Reject"/> for a bad row and <see cref="Admit"/> for a good one.
/// </summary>
public sealed class FeedValidator
{
    private readonly ValidationOptions _options;
    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);
    private SymbolState? _lastSymbol;

    public FeedValidator(FeedReport report, ValidationOptions options)
    {
        options.Breaker.Validate();
        Report = report;
        _options = options;
    }

    public FeedReport Report { get; }

    /// <summary>Records a bad row; in strict mode throws <see cref="FeedDataException"/> instead.</summary>
    public void Reject(string symbol, string file, long line, RejectReason reason, string detail)
    {
        if (_options.Strict)
            throw new FeedDataException(file, line, reason, detail);

        if (Report.CountReject(reason) <= _options.MaxExamplesPerReason)
            Report.AddExample(new RejectExample(file, line, reason, detail));

        var state = StateOf(symbol);
        if (state.Breaker.RecordReject() == BreakerTransition.Tripped)
        {
            state.OpenTrip = new BreakerTrip(symbol, file, line);
            Report.AddBreakerTrip(state.OpenTrip);
        }
    }

    /// <summary>Records a good row; false when the symbol's open breaker withholds it.</summary>
    public bool Admit(string symbol, long line, int quotesInRow = 1)
    {
        var state = StateOf(symbol);
        if (state.Breaker.RecordClean() == BreakerTransition.Closed)
        {
            state.OpenTrip!.ClosedAtLine = line;
            state.OpenTrip = null;
            return true;
        }

        if (!state.Breaker.IsOpen || !_options.Breaker.WithholdQuotesWhileOpen)
            return true;

        Report.QuotesWithheldByBreaker += quotesInRow;
        state.OpenTrip!.QuotesWithheld += quotesInRow;
        return false;
    }

    /// <summary>
    /// Checks the parts of a quote every source must honour: positive finite prices, ask not below bid, time not going
    /// backwards against <paramref name="previousTimeUtc"/>. Reports and returns false on the first failure.
    /// </summary>
    public bool CheckQuote(in Quote quote, string file, long line, DateTime previousTimeUtc)
    {
        if (!IsValidPrice(quote.Bid) || !IsValidPrice(quote.Ask))
        {
            Reject(quote.Symbol, file, line, RejectReason.InvalidPrice, $"bid {quote.Bid}, ask {quote.Ask}");
            return false;
        }

        if (quote.Ask < quote.Bid)
        {
            Reject(quote.Symbol, file, line, RejectReason.AskBelowBid, $"bid {quote.Bid} > ask {quote.Ask}");
            return false;
        }

        if (quote.TimeUtc < previousTimeUtc)
        {
            Reject(quote.Symbol, file, line, RejectReason.TimeWentBackwards,
                $"{quote.TimeUtc:yyyy-MM-dd HH:mm:ss.fff} is before the previous row's {previousTimeUtc:yyyy-MM-dd HH:mm:ss.fff}");
            return false;
        }

        return true;
    }

    /// <summary>NaN fails every comparison, so this one test also rejects it.</summary>
    public static bool IsValidPrice(double price) => price > 0 && double.IsFinite(price);

    private SymbolState StateOf(string symbol)
    {
        if (_lastSymbol is not null && ReferenceEquals(_lastSymbol.Symbol, symbol))
            return _lastSymbol;

        if (!_symbols.TryGetValue(symbol, out var state))
        {
            state = new SymbolState(symbol, new DataQualityBreaker(_options.Breaker));
            _symbols.Add(symbol, state);
        }

        _lastSymbol = state;
        return state;
    }

    private sealed class SymbolState(string symbol, DataQualityBreaker breaker)
    {
        public string Symbol { get; } = symbol;
        public DataQualityBreaker Breaker { get; } = breaker;
        public BreakerTrip? OpenTrip { get; set; }
    }
}
