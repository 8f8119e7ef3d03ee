using HueyP.Domain.Health;

namespace HueyP.Engine.Health;

/// <summary>
/// A measurement for the health sampler, published on the EventStream by whoever measures it (or told to
/// /user/engine/health). Names: <see cref="HealthGauges"/>. A gauge never reported on this node counts as good (nothing
/// is wired to measure it); a gauge that reported and then fell silent for <see cref="HealthSamplerSettings.GaugeStaleAfter"/>
/// counts as missing, which the scorer treats as bad.
/// </summary>
public sealed record HealthGauge(string Name, double Value);

/// <summary>The gauge names the sampler reads, with the health path each feeds.</summary>
public static class HealthGauges
{
    // comm: the bridge publishes these per its active route.
    public const string TransportLatencyMs = "transport_latency_ms";
    public const string DropRate = "drop_rate";
    public const string HeartbeatAgeS = "heartbeat_age_s";

    // signal: feeds and data quality.
    public const string DataRejectRate = "data_reject_rate";
    public const string FeatureAvailability = "feature_availability";

    // exec: the broker and the journal.
    public const string BrokerLatencyMs = "broker_latency_ms";
    public const string OrderRejectRate = "order_reject_rate";
    public const string JournalLatencyMs = "journal_latency_ms";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        TransportLatencyMs, DropRate, HeartbeatAgeS, DataRejectRate, FeatureAvailability, BrokerLatencyMs, OrderRejectRate, JournalLatencyMs,
    };
}

/// <summary>A feed delivered data at <see cref="DataTimeUtc"/> (its own clock): the sampler turns the newest into the data age.</summary>
public sealed record FeedHeartbeat(string Source, DateTimeOffset DataTimeUtc);

/// <summary>
/// A journal write failed (database down, locked, read-only). Persistent actors publish this from OnPersistFailure; the
/// sampler counts it against the <c>journal</c> breaker.
/// </summary>
public sealed record JournalWriteFailed(string PersistenceId, string Cause);

/// <summary>Published by the sampler after every sample: the three scores with their components, and what it told the mode.</summary>
public sealed record HealthSampled(HealthScore Comm, HealthScore Signal, HealthScore Exec, DateTimeOffset At);

/// <summary>Replies the latest <see cref="HealthSampled"/> (scores of a fresh sample when none was taken yet).</summary>
public sealed record GetHealth
{
    public static readonly GetHealth Instance = new();
}

/// <summary>What the engine does when the journal breaker opens: manage only (DEGRADED_EXEC, via the exec score) or halt.</summary>
public enum JournalOutageAction
{
    DegradedExec,
    SafeMode,
}
