using System.Globalization;
using System.Numerics;

namespace HueyP.Hocon;

/// <summary>Byte sizes per the spec: kB/MB... are powers of 1000, K/KiB/M/MiB... powers of 1024; a bare number is bytes.</summary>
public static class HoconByteSize
{
    private static readonly Dictionary<string, decimal> BytesPerUnit = BuildUnits();

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["B"] = 1m, ["b"] = 1m, ["byte"] = 1m, ["bytes"] = 1m,
        };
        string[] decimalPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] decimalNames = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryLetters = ["K", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal powerOfTen = 1m;
        decimal powerOfTwo = 1m;
        for (var i = 0; i < decimalPrefixes.Length; i++)
        {
            powerOfTen *= 1000m;
            powerOfTwo *= 1024m;
            units[decimalPrefixes[i] + "B"] = powerOfTen;
            units[decimalNames[i] + "byte"] = powerOfTen;
            units[decimalNames[i] + "bytes"] = powerOfTen;
            var letter = binaryLetters[i];
            foreach (var unit in new[] { letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryNames[i] + "byte", binaryNames[i] + "bytes" })
            {
                units[unit] = powerOfTwo;
            }
        }
        // Not in the spec, but "64KB" is how people write it; read it like the spec's kB (powers of 1000).
        units["KB"] = 1000m;
        return units;
    }

    public static bool TryParseBig(string text, out BigInteger bytes, out string error)
    {
        bytes = BigInteger.Zero;
        var match = HoconDuration.NumberAndUnit().Match(text.Trim());
        if (!match.Success)
        {
            error = $"'{text}' is not a size in bytes (expected a number and a unit such as 64KiB, 10 MB)";
            return false;
        }
        var unit = match.Groups[2].Value;
        var factor = 1m;
        if (unit.Length > 0 && !BytesPerUnit.TryGetValue(unit, out factor))
        {
            error = $"'{text}' has unknown size unit '{unit}' (use B, kB, MB, GB for powers of 1000 or K, KiB, M, MiB for powers of 1024)";
            return false;
        }
        if (!decimal.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            error = $"'{text}' has a number out of range";
            return false;
        }
        try
        {
            bytes = new BigInteger(decimal.Truncate(amount * factor));
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too large";
            return false;
        }
        error = "";
        return true;
    }

    public static bool TryParse(string text, out long bytes, out string error)
    {
        bytes = 0;
        if (!TryParseBig(text, out var big, out error))
        {
            return false;
        }
        if (big > long.MaxValue || big < long.MinValue)
        {
            error = $"'{text}' does not fit in a 64-bit byte count";
            return false;
        }
        bytes = (long)big;
        return true;
    }

    public static long Parse(string text) => TryParse(text, out var bytes, out var error) ? bytes : throw new FormatException(error);
}
