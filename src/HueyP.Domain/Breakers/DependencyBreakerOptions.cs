using HueyP.Domain.Strategy;

namespace HueyP.Domain.Breakers;

/// <summary>The dependencies that have a breaker; the names appear in the CLI, telemetry and configuration keys.</summary>
public static class Dependencies
{
    public const string BrokerSubmit = "broker_submit";
    public const string BrokerReads = "broker_reads";
    public const string Bridge = "bridge";
    public const string DataPrimary = "data_primary";
    public const string DataFallback = "data_fallback";
    public const string Journal = "journal";

    public static IReadOnlyList<string> All { get; } = [BrokerSubmit, BrokerReads, Bridge, DataPrimary, DataFallback, Journal];
}

/// <summary>
/// Two escalation levels; keys under <c>hueyp.breakers.&lt;dependency&gt;</c>. A burst (3 failures in 60 s) opens
/// briefly; a dependency that keeps failing (10 in 10 min, counting failed probes) opens long enough for a repair.
/// </summary>
public sealed record DependencyBreakerOptions
{
    public const string KeyPrefix = "hueyp.breakers";

    public int ShortThreshold { get; init; } = 3;
    public TimeSpan ShortWindow { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ShortOpen { get; init; } = TimeSpan.FromSeconds(60);
    public int LongThreshold { get; init; } = 10;
    public TimeSpan LongWindow { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan LongOpen { get; init; } = TimeSpan.FromMinutes(15);

    public static DependencyBreakerOptions Default { get; } = new();

    public IReadOnlyList<OptionError> Validate(string dependency = "default")
    {
        var p = $"{KeyPrefix}.{dependency}";
        var errors = new OptionErrors();
        errors.InRange($"{p}.short_threshold", ShortThreshold, 1, 1000);
        errors.InRange($"{p}.short_window_s", ShortWindow.TotalSeconds, 0.001, 86_400);
        errors.InRange($"{p}.short_open_s", ShortOpen.TotalSeconds, 0.001, 86_400);
        errors.InRange($"{p}.long_threshold", LongThreshold, 1, 1000);
        errors.InRange($"{p}.long_window_s", LongWindow.TotalSeconds, 0.001, 86_400);
        errors.InRange($"{p}.long_open_s", LongOpen.TotalSeconds, 0.001, 86_400);
        // The long level must be the harder one to reach and the longer one to sit out, or it is not an escalation.
        errors.Require(LongThreshold > ShortThreshold, $"{p}.long_threshold", LongThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"must be greater than short_threshold ({ShortThreshold})");
        errors.Require(LongWindow >= ShortWindow, $"{p}.long_window_s", OptionError.Format(LongWindow.TotalSeconds),
            $"must be at least short_window_s ({OptionError.Format(ShortWindow.TotalSeconds)})");
        errors.Require(LongOpen >= ShortOpen, $"{p}.long_open_s", OptionError.Format(LongOpen.TotalSeconds),
            $"must be at least short_open_s ({OptionError.Format(ShortOpen.TotalSeconds)})");
        return errors.Errors;
    }
}
