using HueyP.Domain.Market;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Ticks;

/// <summary>Streams a bid/ask tick file (see <see cref="TickFileOptions"/>) as validated quotes.</summary>
public sealed class TickFileReader : IQuoteReader
{
    private const long NanosecondsPerTick = 100;

    /// <summary>Breaker key for rows of a multi-symbol file whose symbol could not be read.</summary>
    private const string UnknownSymbol = "(unknown symbol)";
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly Utf8LineReader _lines;
    private readonly FeedValidator _validator;
    private readonly string _file;
    private readonly long _offsetTicks;
    private readonly bool _hasSymbolColumn;
    private readonly string _defaultSymbol;
    private readonly SymbolTable _symbols = new();
    private DateTime _previousTimeUtc = DateTime.MinValue;

    public TickFileReader(TickFileOptions options)
    {
        _file = options.Path;
        _offsetTicks = options.TimeOffset.Ticks;
        Report = new FeedReport(options.Path);
        _validator = new FeedValidator(Report, options.Validation);
        _lines = new Utf8LineReader(DataFile.OpenRead(options.Path));
        try
        {
            _hasSymbolColumn = ReadHeader();
            if (!_hasSymbolColumn && string.IsNullOrEmpty(options.Symbol))
                throw new ArgumentException($"{_file} has no symbol column: set {nameof(TickFileOptions.Symbol)}.", nameof(options));
            _defaultSymbol = options.Symbol ?? "";
        }
        catch
        {
            _lines.Dispose();
            throw;
        }
    }

    public string Name => _file;

    public FeedReport Report { get; }

    public bool TryRead(out Quote quote)
    {
        while (_lines.TryReadLine(out var line))
        {
            if (line.IsEmpty)
                continue;

            Report.RowsRead++;
            if (TryParse(line, out quote) && _validator.CheckQuote(quote, _file, _lines.LineNumber, _previousTimeUtc))
            {
                _previousTimeUtc = quote.TimeUtc;
                if (_validator.Admit(quote.Symbol, _lines.LineNumber))
                {
                    Report.QuotesEmitted++;
                    return true;
                }
            }
        }

        quote = default;
        return false;
    }

    private bool TryParse(ReadOnlySpan<byte> line, out Quote quote)
    {
        quote = default;
        var fields = new CsvFieldCursor(line);
        var symbol = _defaultSymbol;
        if (_hasSymbolColumn && !(fields.TryNext(out var symbolField) && _symbols.TryGet(symbolField, out symbol)))
            return Malformed(UnknownSymbol, "missing symbol", line);

        if (!fields.TryNext(out var nanosField) || !Utf8Numbers.TryParseInt64(nanosField, out var nanos))
            return Malformed(symbol, "ts_event_ns is not an integer", line);

        var ticks = nanos / NanosecondsPerTick + UnixEpochTicks + _offsetTicks;
        if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks)
            return Malformed(symbol, "ts_event_ns out of range", line);

        if (!fields.TryNext(out _)
            || !fields.TryNext(out var bidField) || !Utf8Numbers.TryParseDouble(bidField, out var bid)
            || !fields.TryNext(out var askField) || !Utf8Numbers.TryParseDouble(askField, out var ask))
            return Malformed(symbol, "bid or ask is not a number", line);

        quote = new Quote(symbol, new DateTime(ticks, DateTimeKind.Utc), bid, ask);
        return true;
    }

    private bool Malformed(string symbol, string why, ReadOnlySpan<byte> line)
    {
        _validator.Reject(symbol, _file, _lines.LineNumber, RejectReason.MalformedRow, $"{why}: \"{Utf8Numbers.Describe(line)}\"");
        return false;
    }

    private bool ReadHeader()
    {
        if (!_lines.TryReadLine(out var header))
            throw new FeedDataException(_file, 1, RejectReason.MalformedRow, "empty file: expected a header line");

        header = header.StartsWith("\uFEFF"u8) ? header[3..] : header;
        if (header.StartsWith("symbol,ts_event_ns,"u8))
            return true;
        if (header.StartsWith("ts_event_ns,"u8))
            return false;

        throw new FeedDataException(_file, 1, RejectReason.MalformedRow,
            $"expected header \"[symbol,]ts_event_ns,timestamp_as_stored,bid,ask,...\" but found \"{Utf8Numbers.Describe(header)}\"");
    }

    public void Dispose() => _lines.Dispose();
}
