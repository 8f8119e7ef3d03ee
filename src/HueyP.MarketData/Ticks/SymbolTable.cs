using System.Text;

namespace HueyP.MarketData.Ticks;

/// <summary>Turns a symbol field into one shared string instance per symbol, without allocating per row.</summary>
internal sealed class SymbolTable
{
    private const int MaxSymbolLength = 64;
    private readonly Dictionary<string, string> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SymbolTable()
    {
        _lookup = _symbols.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(ReadOnlySpan<byte> utf8, out string symbol)
    {
        symbol = "";
        if (utf8.IsEmpty || utf8.Length > MaxSymbolLength)
            return false;

        Span<char> chars = stackalloc char[MaxSymbolLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        var text = chars[..length];
        if (_lookup.TryGetValue(text, out var known))
        {
            symbol = known;
            return true;
        }

        symbol = string.IsInterned(text.ToString()) ?? text.ToString();
        _symbols.Add(symbol, symbol);
        return true;
    }
}
