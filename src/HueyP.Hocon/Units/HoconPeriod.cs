using System.Globalization;
using System.Text.RegularExpressions;

namespace HueyP.Hocon;

/// <summary>A calendar period as in the spec's period format; weeks are folded into days.</summary>
public readonly partial record struct HoconPeriod(int Years, int Months, int Days)
{
    [GeneratedRegex(@"^([+-]?\d+)\s*([a-z]*)$")]
    private static partial Regex WholeNumberAndUnit();

    public static bool TryParse(string text, out HoconPeriod period, out string error)
    {
        period = default;
        var match = WholeNumberAndUnit().Match(text.Trim());
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            error = $"'{text}' is not a period (expected a whole number and a unit such as 1d, 3 weeks, 5 mo, 8y)";
            return false;
        }
        switch (match.Groups[2].Value)
        {
            case "" or "d" or "day" or "days":
                period = new HoconPeriod(0, 0, amount);
                break;
            case "w" or "week" or "weeks":
                period = new HoconPeriod(0, 0, amount * 7);
                break;
            case "m" or "mo" or "month" or "months":
                period = new HoconPeriod(0, amount, 0);
                break;
            case "y" or "year" or "years":
                period = new HoconPeriod(amount, 0, 0);
                break;
            default:
                error = $"'{text}' has unknown period unit '{match.Groups[2].Value}' (use d, w, mo or y)";
                return false;
        }
        error = "";
        return true;
    }
}
