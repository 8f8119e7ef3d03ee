using System.Globalization;

namespace HueyP.Domain.Strategy;

/// <summary>
/// One invalid setting, named by its configuration key so an operator can find it:
/// <c>hueyp.reentry.profiles.4.delay_s = 1200: must be in [0,900]</c>.
/// </summary>
public sealed record OptionError(string Key, string Value, string Rule)
{
    public override string ToString() => $"{Key} = {Value}: {Rule}";

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Collects option errors; each options record validates itself with one of these.</summary>
public sealed class OptionErrors
{
    private readonly List<OptionError> _errors = [];

    public IReadOnlyList<OptionError> Errors => _errors;

    public void InRange(string key, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
            _errors.Add(new OptionError(key, OptionError.Format(value), $"must be in [{OptionError.Format(min)},{OptionError.Format(max)}]"));
    }

    public void InRange(string key, int value, int min, int max)
    {
        if (value < min || value > max)
            _errors.Add(new OptionError(key, value.ToString(CultureInfo.InvariantCulture), $"must be in [{min},{max}]"));
    }

    public void Require(bool condition, string key, string value, string rule)
    {
        if (!condition) _errors.Add(new OptionError(key, value, rule));
    }
}

public sealed class InvalidOptionsException(IReadOnlyList<OptionError> errors)
    : Exception("Invalid options: " + string.Join("; ", errors))
{
    public IReadOnlyList<OptionError> Errors { get; } = errors;

    public static void ThrowIfAny(IReadOnlyList<OptionError> errors)
    {
        if (errors.Count > 0) throw new InvalidOptionsException(errors);
    }
}
