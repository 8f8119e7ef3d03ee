namespace HueyP.MarketData.Ticks;

/// <summary>
/// Yields the lines of a UTF-8 stream as spans over one reused buffer, so reading a file allocates nothing per row.
/// Accepts LF and CRLF endings and a last line without a newline (Dukascopy exports end that way).
/// </summary>
public sealed class Utf8LineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    public Utf8LineReader(Stream stream, int bufferSize = 1 << 16)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        _stream = stream;
        _buffer = new byte[bufferSize];
    }

    /// <summary>1-based number of the line last returned, as a text editor would show it.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the next line without its line ending. The span is valid only until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var searchFrom = 0;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available[searchFrom..].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                newline += searchFrom;
                line = WithoutCarriageReturn(available[..newline]);
                _start += newline + 1;
                LineNumber++;
                return true;
            }

            if (_endOfStream)
            {
                if (available.IsEmpty)
                {
                    line = default;
                    return false;
                }

                line = WithoutCarriageReturn(available);
                _start = _end;
                LineNumber++;
                return true;
            }

            // Bytes already searched hold no newline; after compaction they start at 0, so resume after them.
            searchFrom = available.Length;
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _endOfStream = true;
        else
            _end += read;
    }

    private static ReadOnlySpan<byte> WithoutCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    public void Dispose() => _stream.Dispose();
}
