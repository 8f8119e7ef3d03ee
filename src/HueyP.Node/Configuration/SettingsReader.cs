using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace HueyP.Node.Configuration;

/// <summary>
/// Reads typed settings from the resolved configuration and collects every problem, each with the key and where it
/// was set (file:line), so a node with a bad configuration stops before anything starts and says all that is wrong.
/// </summary>
public sealed class SettingsReader(IConfiguration configuration, Func<string, string?> originOf)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public string String(string key, string fallback) => Raw(key) ?? fallback;

    public bool Bool(string key, bool fallback)
    {
        var raw = Raw(key);
        return raw?.ToLowerInvariant() switch
        {
            null => fallback,
            "true" or "on" or "yes" => true,
            "false" or "off" or "no" => false,
            _ => Fail(key, raw, "must be on/off (true/false, yes/no)", fallback),
        };
    }

    public int Int(string key, int fallback, int min, int max)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return Fail(key, raw, "must be a whole number", fallback);
        }

        return value < min || value > max ? Fail(key, raw, $"must be in {min}..{max}", fallback) : value;
    }

    public double Double(string key, double fallback, double min, double max, bool minExclusive = false)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return fallback;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return Fail(key, raw, "must be a number", fallback);
        }

        var belowMin = minExclusive ? value <= min : value < min;
        return belowMin || value > max
            ? Fail(key, raw, $"must be in {(minExclusive ? "(" : "[")}{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]", fallback)
            : value;
    }

    public T Enum<T>(string key, T fallback) where T : struct, System.Enum
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return fallback;
        }

        return System.Enum.TryParse<T>(raw.Replace("-", "").Replace("_", ""), ignoreCase: true, out var value) && System.Enum.IsDefined(value)
            ? value
            : Fail(key, raw, $"must be one of {string.Join(", ", System.Enum.GetNames<T>())}", fallback);
    }

    public string OneOf(string key, string fallback, params string[] allowed)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return fallback;
        }

        return allowed.Contains(raw, StringComparer.OrdinalIgnoreCase)
            ? raw.ToLowerInvariant()
            : Fail(key, raw, $"must be one of {string.Join(", ", allowed)}", fallback);
    }

    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return fallback;
        }

        return HueyP.Hocon.HoconDuration.TryParse(raw, out var value, out var error) && value >= TimeSpan.Zero
            ? value
            : Fail(key, raw, $"must be a duration such as 500ms or 5s ({error})", fallback);
    }

    public long ByteSize(string key, long fallback)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            return fallback;
        }

        return HueyP.Hocon.HoconByteSize.TryParse(raw, out var value, out var error) && value > 0
            ? value
            : Fail(key, raw, $"must be a size such as 256KiB or 1MB ({error})", fallback);
    }

    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> fallback)
    {
        var section = configuration.GetSection(ToConfigurationKey(key));
        var items = section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => c.Value).ToList();
        if (items.Count == 0)
        {
            return section.Value is null ? fallback : Fail<IReadOnlyList<string>>(key, section.Value, "must be a list such as [\"EURUSD\", \"GBPUSD\"]", fallback);
        }

        return items.Any(i => i is null) ? Fail<IReadOnlyList<string>>(key, "[...]", "must be a list of strings", fallback) : items!;
    }

    public IReadOnlyDictionary<string, string> Map(string key) =>
        configuration.GetSection(ToConfigurationKey(key)).GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!);

    public void Error(string key, string value, string problem) => Fail<object?>(key, value, problem, null);

    private T Fail<T>(string key, string value, string problem, T fallback)
    {
        var origin = originOf(key);
        _errors.Add($"{key} = {value}{(origin is null ? "" : $" ({origin})")}: {problem}");
        return fallback;
    }

    private string? Raw(string key) => configuration[ToConfigurationKey(key)];

    public static string ToConfigurationKey(string hoconPath) => HueyP.Hocon.HoconOrigins.ToConfigurationKey(hoconPath);
}
