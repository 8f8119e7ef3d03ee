namespace HueyP.MarketData.Ticks;

/// <summary>Walks the comma-separated fields of one line without allocating (no quoting: market data has none).</summary>
internal ref struct CsvFieldCursor(ReadOnlySpan<byte> line)
{
    private ReadOnlySpan<byte> _rest = line;
    private bool _finished;

    public bool TryNext(out ReadOnlySpan<byte> field)
    {
        if (_finished)
        {
            field = default;
            return false;
        }

        var comma = _rest.IndexOf((byte)',');
        if (comma < 0)
        {
            field = _rest;
            _rest = default;
            _finished = true;
            return true;
        }

        field = _rest[..comma];
        _rest = _rest[(comma + 1)..];
        return true;
    }
}
