using System.Globalization;
using System.Text.RegularExpressions;

namespace HueyP.Hocon;

/// <summary>Durations per the spec's units format: a number and an optional lowercase unit; a bare number is milliseconds.</summary>
public static partial class HoconDuration
{
    private const decimal NanosPerMicro = 1_000m;
    private const decimal NanosPerMilli = 1_000_000m;
    private const decimal NanosPerSecond = 1_000_000_000m;

    private static readonly Dictionary<string, decimal> NanosPerUnit = new(StringComparer.Ordinal)
    {
        ["ns"] = 1m, ["nano"] = 1m, ["nanos"] = 1m, ["nanosecond"] = 1m, ["nanoseconds"] = 1m,
        ["us"] = NanosPerMicro, ["micro"] = NanosPerMicro, ["micros"] = NanosPerMicro, ["microsecond"] = NanosPerMicro, ["microseconds"] = NanosPerMicro,
        ["ms"] = NanosPerMilli, ["milli"] = NanosPerMilli, ["millis"] = NanosPerMilli, ["millisecond"] = NanosPerMilli, ["milliseconds"] = NanosPerMilli,
        ["s"] = NanosPerSecond, ["second"] = NanosPerSecond, ["seconds"] = NanosPerSecond,
        ["m"] = 60 * NanosPerSecond, ["minute"] = 60 * NanosPerSecond, ["minutes"] = 60 * NanosPerSecond,
        ["h"] = 3600 * NanosPerSecond, ["hour"] = 3600 * NanosPerSecond, ["hours"] = 3600 * NanosPerSecond,
        ["d"] = 86400 * NanosPerSecond, ["day"] = 86400 * NanosPerSecond, ["days"] = 86400 * NanosPerSecond,
    };

    [GeneratedRegex(@"^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)$")]
    internal static partial Regex NumberAndUnit();

    /// <summary>Parses e.g. "500ms", "2 s", "10 minutes", "1000" (ms) into whole nanoseconds.</summary>
    public static bool TryParseNanoseconds(string text, out long nanoseconds, out string error)
    {
        nanoseconds = 0;
        var match = NumberAndUnit().Match(text.Trim());
        if (!match.Success)
        {
            error = $"'{text}' is not a duration (expected a number and a unit such as 500ms, 2 s, 10 minutes)";
            return false;
        }
        var unit = match.Groups[2].Value;
        if (unit.Length == 0)
        {
            unit = "ms";
        }
        if (!NanosPerUnit.TryGetValue(unit, out var factor))
        {
            error = $"'{text}' has unknown duration unit '{unit}' (use ns, us, ms, s, m, h or d, lowercase)";
            return false;
        }
        if (!decimal.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            error = $"'{text}' has a number out of range";
            return false;
        }
        try
        {
            nanoseconds = (long)decimal.Truncate(amount * factor);
        }
        catch (OverflowException)
        {
            error = $"'{text}' is too long a duration";
            return false;
        }
        error = "";
        return true;
    }

    public static long ParseNanoseconds(string text) =>
        TryParseNanoseconds(text, out var nanoseconds, out var error) ? nanoseconds : throw new FormatException(error);

    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        var ok = TryParseNanoseconds(text, out var nanoseconds, out error);
        duration = ok ? TimeSpan.FromTicks(nanoseconds / 100) : TimeSpan.Zero;
        return ok;
    }

    /// <summary>For the options binder: "500ms", "2 s", "10 minutes"; a bare number is milliseconds.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);
}
