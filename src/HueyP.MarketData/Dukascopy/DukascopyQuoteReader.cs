using HueyP.Domain.Market;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Dukascopy;

/// <summary>
/// Joins a Dukascopy BID file and ASK file minute by minute and turns each bar pair into quotes
/// (see <see cref="BarQuoteMode"/>). A minute found in only one file is reported as
/// <see cref="RejectReason.UnmatchedMinute"/> and skipped: a one-sided price has no spread.
/// </summary>
public sealed class DukascopyQuoteReader : IQuoteReader
{
    private static readonly TimeSpan[] PathOffsets =
        [TimeSpan.Zero, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45)];

    private readonly DukascopyOptions _options;
    private readonly FeedValidator _validator;
    private readonly DukascopyBarFile _bids;
    private readonly DukascopyBarFile _asks;
    private readonly Quote[] _pending = new Quote[4];
    private int _pendingCount;
    private int _pendingNext;
    private Bar _bid;
    private Bar _ask;
    private bool _hasBid;
    private bool _hasAsk;

    public DukascopyQuoteReader(DukascopyOptions options)
    {
        _options = options;
        Name = $"Dukascopy {options.Symbol}";
        Report = new FeedReport(Name);
        _validator = new FeedValidator(Report, options.Validation);
        _bids = new DukascopyBarFile(options.BidPath, options.Symbol, _validator);
        try
        {
            _asks = new DukascopyBarFile(options.AskPath, options.Symbol, _validator);
        }
        catch
        {
            _bids.Dispose();
            throw;
        }

        try
        {
            _hasBid = _bids.TryReadBar(out _bid);
            _hasAsk = _asks.TryReadBar(out _ask);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public FeedReport Report { get; }

    public bool TryRead(out Quote quote)
    {
        while (_pendingNext == _pendingCount)
        {
            if (!TryReadBarPair(out var bid, out var ask))
            {
                quote = default;
                return false;
            }

            QueueQuotes(bid, ask);
        }

        quote = _pending[_pendingNext++];
        Report.QuotesEmitted++;
        return true;
    }

    private bool TryReadBarPair(out Bar bid, out Bar ask)
    {
        while (_hasBid || _hasAsk)
        {
            if (_hasBid && _hasAsk && _bid.TimeUtc == _ask.TimeUtc)
            {
                bid = _bid;
                ask = _ask;
                _hasBid = _bids.TryReadBar(out _bid);
                _hasAsk = _asks.TryReadBar(out _ask);
                if (IsUsable(bid, ask))
                    return true;
                continue;
            }

            if (!_hasAsk || (_hasBid && _bid.TimeUtc < _ask.TimeUtc))
            {
                RejectUnmatched(_bids.Path, _bid, _asks.Path);
                _hasBid = _bids.TryReadBar(out _bid);
            }
            else
            {
                RejectUnmatched(_asks.Path, _ask, _bids.Path);
                _hasAsk = _asks.TryReadBar(out _ask);
            }
        }

        bid = ask = default;
        return false;
    }

    private bool IsUsable(in Bar bid, in Bar ask)
    {
        if (_options.SkipZeroVolumeBars && bid.Volume == 0 && ask.Volume == 0)
        {
            Report.ZeroVolumeBarsSkipped++;
            return false;
        }

        // Ask ≥ bid at every instant implies it for each of O, H, L and C, so any crossing is bad data.
        if (ask.Open < bid.Open || ask.High < bid.High || ask.Low < bid.Low || ask.Close < bid.Close)
        {
            _validator.Reject(_options.Symbol, _bids.Path, bid.Line, RejectReason.AskBelowBid,
                $"{bid.TimeUtc:dd.MM.yyyy HH:mm} bid O {bid.Open} H {bid.High} L {bid.Low} C {bid.Close} above ask " +
                $"O {ask.Open} H {ask.High} L {ask.Low} C {ask.Close} ({_asks.Path}:{ask.Line})");
            return false;
        }

        var quotesInBar = _options.QuotesPerBar == BarQuoteMode.CloseOnly ? 1 : 4;
        return _validator.Admit(_options.Symbol, bid.Line, quotesInBar);
    }

    private void QueueQuotes(in Bar bid, in Bar ask)
    {
        var symbol = _options.Symbol;
        _pendingNext = 0;
        if (_options.QuotesPerBar == BarQuoteMode.CloseOnly)
        {
            _pending[0] = new Quote(symbol, bid.TimeUtc + PathOffsets[3], bid.Close, ask.Close, bid.Volume);
            _pendingCount = 1;
            return;
        }

        var volume = bid.Volume / 4;
        var dippedFirst = bid.Close >= bid.Open;
        _pending[0] = new Quote(symbol, bid.TimeUtc + PathOffsets[0], bid.Open, ask.Open, volume);
        _pending[1] = dippedFirst
            ? new Quote(symbol, bid.TimeUtc + PathOffsets[1], bid.Low, ask.Low, volume)
            : new Quote(symbol, bid.TimeUtc + PathOffsets[1], bid.High, ask.High, volume);
        _pending[2] = dippedFirst
            ? new Quote(symbol, bid.TimeUtc + PathOffsets[2], bid.High, ask.High, volume)
            : new Quote(symbol, bid.TimeUtc + PathOffsets[2], bid.Low, ask.Low, volume);
        _pending[3] = new Quote(symbol, bid.TimeUtc + PathOffsets[3], bid.Close, ask.Close, volume);
        _pendingCount = 4;
    }

    private void RejectUnmatched(string file, in Bar bar, string otherFile) =>
        _validator.Reject(_options.Symbol, file, bar.Line, RejectReason.UnmatchedMinute,
            $"{bar.TimeUtc:dd.MM.yyyy HH:mm} has no bar in {otherFile}");

    public void Dispose()
    {
        _bids.Dispose();
        _asks.Dispose();
    }
}
