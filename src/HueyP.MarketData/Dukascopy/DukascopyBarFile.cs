using HueyP.MarketData.Ticks;
using HueyP.MarketData.Validation;

namespace HueyP.MarketData.Dukascopy;

/// <summary>One 1-minute bar of one side (bid or ask).</summary>
internal readonly record struct Bar(DateTime TimeUtc, double Open, double High, double Low, double Close, double Volume, long Line);

/// <summary>
/// Reads one side of a Dukascopy export: header <c>Gmt time,Open,High,Low,Close,Volume</c>, time
/// <c>dd.MM.yyyy HH:mm:ss.fff</c> in UTC. Bad bars are reported through the validator and skipped.
/// </summary>
internal sealed class DukascopyBarFile : IDisposable
{
    private const int TimestampLength = 23;
    private readonly Utf8LineReader _lines;
    private readonly FeedValidator _validator;
    private readonly string _symbol;
    private DateTime _previousTimeUtc = DateTime.MinValue;

    public DukascopyBarFile(string path, string symbol, FeedValidator validator)
    {
        Path = path;
        _symbol = symbol;
        _validator = validator;
        _lines = new Utf8LineReader(DataFile.OpenRead(path));
        try
        {
            ReadHeader();
        }
        catch
        {
            _lines.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public bool TryReadBar(out Bar bar)
    {
        while (_lines.TryReadLine(out var line))
        {
            if (line.IsEmpty)
                continue;

            _validator.Report.RowsRead++;
            if (TryParse(line, out bar) && IsPlausible(bar))
            {
                _previousTimeUtc = bar.TimeUtc;
                return true;
            }
        }

        bar = default;
        return false;
    }

    private bool TryParse(ReadOnlySpan<byte> line, out Bar bar)
    {
        bar = default;
        var fields = new CsvFieldCursor(line);
        if (!fields.TryNext(out var timeField) || !TryParseTime(timeField, out var time))
            return Reject(RejectReason.MalformedRow, $"time is not dd.MM.yyyy HH:mm:ss.fff: \"{Utf8Numbers.Describe(line)}\"");

        if (!fields.TryNext(out var openField) || !Utf8Numbers.TryParseDouble(openField, out var open)
            || !fields.TryNext(out var highField) || !Utf8Numbers.TryParseDouble(highField, out var high)
            || !fields.TryNext(out var lowField) || !Utf8Numbers.TryParseDouble(lowField, out var low)
            || !fields.TryNext(out var closeField) || !Utf8Numbers.TryParseDouble(closeField, out var close)
            || !fields.TryNext(out var volumeField) || !Utf8Numbers.TryParseDouble(volumeField, out var volume)
            || fields.TryNext(out _))
            return Reject(RejectReason.MalformedRow, $"expected time and five numbers: \"{Utf8Numbers.Describe(line)}\"");

        bar = new Bar(time, open, high, low, close, volume, _lines.LineNumber);
        return true;
    }

    private bool IsPlausible(in Bar bar)
    {
        if (!FeedValidator.IsValidPrice(bar.Open) || !FeedValidator.IsValidPrice(bar.High)
            || !FeedValidator.IsValidPrice(bar.Low) || !FeedValidator.IsValidPrice(bar.Close))
            return Reject(RejectReason.InvalidPrice, $"O {bar.Open} H {bar.High} L {bar.Low} C {bar.Close}");

        if (!(bar.Volume >= 0))
            return Reject(RejectReason.MalformedRow, $"volume {bar.Volume}");

        if (bar.High < Math.Max(bar.Open, bar.Close) || bar.Low > Math.Min(bar.Open, bar.Close))
            return Reject(RejectReason.InconsistentBar, $"O {bar.Open} H {bar.High} L {bar.Low} C {bar.Close}");

        if (bar.TimeUtc < _previousTimeUtc)
            return Reject(RejectReason.TimeWentBackwards,
                $"{bar.TimeUtc:dd.MM.yyyy HH:mm} is before the previous bar's {_previousTimeUtc:dd.MM.yyyy HH:mm}");

        if (bar.TimeUtc == _previousTimeUtc)
            return Reject(RejectReason.DuplicateBar, $"{bar.TimeUtc:dd.MM.yyyy HH:mm} already read");

        return true;
    }

    private bool Reject(RejectReason reason, string detail)
    {
        _validator.Reject(_symbol, Path, _lines.LineNumber, reason, detail);
        return false;
    }

    internal static bool TryParseTime(ReadOnlySpan<byte> text, out DateTime utc)
    {
        utc = default;
        if (text.Length != TimestampLength || text[2] != '.' || text[5] != '.' || text[10] != ' '
            || text[13] != ':' || text[16] != ':' || text[19] != '.')
            return false;

        if (!Utf8Numbers.TryParseDigits(text[..2], out var day) || !Utf8Numbers.TryParseDigits(text[3..5], out var month)
            || !Utf8Numbers.TryParseDigits(text[6..10], out var year) || !Utf8Numbers.TryParseDigits(text[11..13], out var hour)
            || !Utf8Numbers.TryParseDigits(text[14..16], out var minute) || !Utf8Numbers.TryParseDigits(text[17..19], out var second)
            || !Utf8Numbers.TryParseDigits(text[20..23], out var millisecond))
            return false;

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;

        utc = new DateTime(year, month, day, hour, minute, second, millisecond, DateTimeKind.Utc);
        return true;
    }

    private void ReadHeader()
    {
        if (!_lines.TryReadLine(out var header))
            throw new FeedDataException(Path, 1, RejectReason.MalformedRow, "empty file: expected a header line");

        header = header.StartsWith("\uFEFF"u8) ? header[3..] : header;
        if (!header.StartsWith("Gmt time,Open,High,Low,Close,Volume"u8))
            throw new FeedDataException(Path, 1, RejectReason.MalformedRow,
                $"expected header \"Gmt time,Open,High,Low,Close,Volume\" but found \"{Utf8Numbers.Describe(header)}\"");
    }

    public void Dispose() => _lines.Dispose();
}
