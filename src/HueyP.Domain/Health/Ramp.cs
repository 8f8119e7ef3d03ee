using HueyP.Domain.Strategy;

namespace HueyP.Domain.Health;

/// <summary>
/// Maps one raw measurement to 0..100: 100 at or better than <see cref="Good"/>, 0 at or worse than <see cref="Bad"/>,
/// linear in between. Works both ways: Good &lt; Bad for "lower is better" (latency), Good &gt; Bad for "higher is
/// better" (availability).
/// </summary>
public sealed record Ramp(double Good, double Bad)
{
    public double Score(double value)
    {
        var t = (value - Good) / (Bad - Good);
        return 100 * (1 - Math.Clamp(t, 0, 1));
    }

    public void Validate(OptionErrors errors, string key)
    {
        errors.Require(double.IsFinite(Good) && double.IsFinite(Bad) && Good != Bad, key,
            $"{OptionError.Format(Good)}..{OptionError.Format(Bad)}", "good and bad must be finite and different");
    }
}

/// <summary>One input's part in a score, kept so "why is exec at 55?" can be answered from the score itself.</summary>
public sealed record HealthComponent(string Name, double? Raw, double Score, double Weight, bool Missing, bool Critical);

/// <summary>
/// A path's health: the weighted mean of its components, capped at <see cref="HealthScoring.CriticalCap"/> when a
/// critical component was measured at its bad end.
/// </summary>
public sealed record HealthScore(HealthPath Path, double Score, IReadOnlyList<HealthComponent> Components)
{
    public bool Capped => Components.Any(c => c.Critical && !c.Missing && c.Score <= 0);

    public override string ToString() =>
        $"{Path} {Score:0.#} [" + string.Join(", ", Components.Select(c => c.Missing ? $"{c.Name}=missing" : $"{c.Name}={c.Score:0}")) + "]";
}

public enum HealthPath
{
    Comm,
    Signal,
    Exec,
}

/// <summary>Shared arithmetic of the three scores.</summary>
public static class HealthScoring
{
    /// <summary>A path whose critical input is at its bad end scores at most this, whatever the rest says.</summary>
    public const double CriticalCap = 40;

    /// <summary>
    /// NaN, infinity and negative values are treated as missing: a measurement we cannot believe is no measurement.
    /// </summary>
    public static double? Clean(double? value) => value is { } v && double.IsFinite(v) && v >= 0 ? v : null;

    public static HealthComponent Component(string name, double? raw, Ramp ramp, double weight, bool critical = false)
    {
        var clean = Clean(raw);
        // Missing scores 0: unknown counts as bad. With one input of four missing a path still sits above the entry
        // thresholds (no false alarm from one silent gauge) but below the recovery threshold (no recovery on faith).
        return clean is { } v
            ? new HealthComponent(name, v, ramp.Score(v), weight, Missing: false, critical)
            : new HealthComponent(name, raw, 0, weight, Missing: true, critical);
    }

    public static HealthScore Combine(HealthPath path, IReadOnlyList<HealthComponent> components)
    {
        var total = components.Sum(c => c.Weight);
        var score = components.Sum(c => c.Weight * c.Score) / total;
        if (components.Any(c => c.Critical && !c.Missing && c.Score <= 0)) score = Math.Min(score, CriticalCap);
        return new HealthScore(path, Math.Clamp(score, 0, 100), components);
    }
}
