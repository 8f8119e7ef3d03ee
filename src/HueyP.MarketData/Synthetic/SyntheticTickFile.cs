using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace HueyP.MarketData.Synthetic;

/// <summary>
/// Writes the synthetic market as a tick file the tick reader replays bit-identically:
/// <c>symbol,ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size</c>, UTC, LF, gzip when the name ends ".gz".
/// Meant for benchmark replays of millions of ticks.
/// </summary>
public static class SyntheticTickFile
{
    public const string Header = "symbol,ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size";
    private const int MaxRowBytes = 256;
    private const int BufferSize = 1 << 16;
    private static readonly StandardFormat IsoRoundTrip = new('O');

    /// <summary>Writes the first <paramref name="quoteCount"/> quotes of the market; returns how many were written.</summary>
    public static long Write(string path, SyntheticMarketOptions options, long quoteCount)
    {
        using var stream = Ticks.DataFile.Create(path);
        return Write(stream, options, quoteCount);
    }

    public static long Write(Stream output, SyntheticMarketOptions options, long quoteCount)
    {
        using var reader = new SyntheticQuoteReader(options with { MaxQuotes = quoteCount });
        var symbolBytes = options.Symbols.Select(s => Encoding.UTF8.GetBytes(s.Name)).ToArray();
        var digits = options.Symbols.Select(s => s.Digits).ToArray();
        var buffer = new byte[BufferSize];
        var used = Encoding.UTF8.GetBytes(Header + "\n", buffer);
        long written = 0;
        while (reader.TryRead(out var quote))
        {
            if (BufferSize - used < MaxRowBytes)
            {
                output.Write(buffer, 0, used);
                used = 0;
            }

            var row = buffer.AsSpan(used);
            var index = reader.LastSymbolIndex;
            var length = 0;
            symbolBytes[index].CopyTo(row);
            length += symbolBytes[index].Length;
            row[length++] = (byte)',';
            var nanoseconds = (quote.TimeUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            length += Format(nanoseconds, row[length..]);
            row[length++] = (byte)',';
            // Written without a zone suffix and to nanoseconds, like HistData's timestamp_as_stored.
            Utf8Formatter.TryFormat(DateTime.SpecifyKind(quote.TimeUtc, DateTimeKind.Unspecified), row[length..], out var isoLength, IsoRoundTrip);
            length += isoLength;
            row[length++] = (byte)'0';
            row[length++] = (byte)'0';
            row[length++] = (byte)',';
            length += FormatPoints(reader.LastBidPoints, digits[index], row[length..]);
            row[length++] = (byte)',';
            length += FormatPoints(reader.LastAskPoints, digits[index], row[length..]);
            ",100000,100000\n"u8.CopyTo(row[length..]);
            length += 15;
            used += length;
            written++;
        }

        output.Write(buffer, 0, used);
        return written;
    }

    private static int Format(long value, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(value, destination, out var length);
        return length;
    }

    private static int FormatPoints(long points, int digits, Span<byte> destination)
    {
        if (digits == 0)
            return Format(points, destination);

        var scale = 1L;
        for (var i = 0; i < digits; i++)
            scale *= 10;
        var length = Format(points / scale, destination);
        destination[length++] = (byte)'.';
        Utf8Formatter.TryFormat(points % scale, destination[length..], out var fractionLength, new StandardFormat('D', (byte)digits));
        return length + fractionLength;
    }
}
