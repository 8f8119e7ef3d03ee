using HueyP.Domain.Health;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Modes;

/// <summary>
/// Thresholds of the ladder; keys under <c>hueyp.modes</c>. A path enters its degraded mode below <c>enter</c> and may
/// leave only when every path is at or above its <c>recover</c> for <see cref="Dwell"/>: the gap between the two is the
/// hysteresis that stops a score bouncing around one threshold from flapping the mode.
/// </summary>
public sealed record ModeOptions
{
    public const string KeyPrefix = "hueyp.modes";

    public double CommEnter { get; init; } = 70;
    public double CommRecover { get; init; } = 85;
    public double SignalEnter { get; init; } = 65;
    public double SignalRecover { get; init; } = 85;
    public double ExecEnter { get; init; } = 60;
    public double ExecRecover { get; init; } = 85;
    public TimeSpan Dwell { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>SAFE_MODE closes open positions when true; otherwise it only freezes new orders.</summary>
    public bool FlattenOnSafeMode { get; init; }
    /// <summary>In DEGRADED_SIGNAL, cached features are trusted this long; after that a conservative heuristic decides.</summary>
    public TimeSpan CachedFeaturesMaxAge { get; init; } = TimeSpan.FromMinutes(5);

    public static ModeOptions Default { get; } = new();

    public double Enter(HealthPath path) => path switch
    {
        HealthPath.Comm => CommEnter,
        HealthPath.Signal => SignalEnter,
        _ => ExecEnter,
    };

    public double Recover(HealthPath path) => path switch
    {
        HealthPath.Comm => CommRecover,
        HealthPath.Signal => SignalRecover,
        _ => ExecRecover,
    };

    public IReadOnlyList<OptionError> Validate()
    {
        var e = new OptionErrors();
        foreach (var path in Enum.GetValues<HealthPath>())
        {
            var name = path.ToString().ToLowerInvariant();
            e.InRange($"{KeyPrefix}.{name}.enter", Enter(path), 0, 100);
            e.InRange($"{KeyPrefix}.{name}.recover", Recover(path), 0, 100);
            e.Require(Enter(path) < Recover(path), $"{KeyPrefix}.{name}.enter", OptionError.Format(Enter(path)),
                $"must be below {name}.recover ({OptionError.Format(Recover(path))})");
        }
        e.InRange($"{KeyPrefix}.dwell_s", Dwell.TotalSeconds, 0, 3600);
        e.InRange($"{KeyPrefix}.cached_features_max_age_s", CachedFeaturesMaxAge.TotalSeconds, 0, 86_400);
        return e.Errors;
    }
}
