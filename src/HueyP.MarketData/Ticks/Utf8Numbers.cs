using System.Buffers.Text;
using System.Text;

namespace HueyP.MarketData.Ticks;

/// <summary>Whole-field number parsing over UTF-8 bytes: a trailing stray character makes the field invalid.</summary>
internal static class Utf8Numbers
{
    public static bool TryParseDouble(ReadOnlySpan<byte> field, out double value) =>
        Utf8Parser.TryParse(field, out value, out var consumed) && consumed == field.Length && field.Length > 0;

    public static bool TryParseInt64(ReadOnlySpan<byte> field, out long value) =>
        Utf8Parser.TryParse(field, out value, out var consumed) && consumed == field.Length && field.Length > 0;

    public static bool TryParseDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty)
            return false;
        foreach (var b in digits)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
                return false;
            value = value * 10 + digit;
        }

        return true;
    }

    /// <summary>Text of a field for a reject message; only called on the rare bad row.</summary>
    public static string Describe(ReadOnlySpan<byte> field)
    {
        const int maxShown = 60;
        var shown = field.Length > maxShown ? field[..maxShown] : field;
        return Encoding.UTF8.GetString(shown) + (field.Length > maxShown ? "…" : "");
    }
}
