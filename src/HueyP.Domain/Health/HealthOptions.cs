using HueyP.Domain.Strategy;

namespace HueyP.Domain.Health;

/// <summary>
/// Ramps and weights of the three health scores; keys under <c>hueyp.health</c>. Each score is
/// <c>sum(weight_i * ramp_i(input_i)) / sum(weight_i)</c>, capped at 40 when a critical input is at its bad end.
/// </summary>
public sealed record HealthOptions
{
    public const string KeyPrefix = "hueyp.health";

    // comm: can we talk to the bridge?
    public Ramp TransportLatencyMs { get; init; } = new(50, 1000);
    public Ramp DropRate { get; init; } = new(0, 0.05);
    public Ramp Reconnects { get; init; } = new(0, 5);
    public Ramp HeartbeatAgeS { get; init; } = new(2, 15);
    public double TransportLatencyWeight { get; init; } = 0.25;
    public double DropRateWeight { get; init; } = 0.25;
    public double ReconnectsWeight { get; init; } = 0.2;
    public double HeartbeatWeight { get; init; } = 0.3;

    // signal: are the inputs to decisions fresh and sound?
    public Ramp DataAgeS { get; init; } = new(5, 60);
    public Ramp DataRejectRate { get; init; } = new(0, 0.1);
    public Ramp FeatureAvailability { get; init; } = new(1, 0.5);
    public double DataAgeWeight { get; init; } = 0.4;
    public double DataRejectWeight { get; init; } = 0.3;
    public double FeatureWeight { get; init; } = 0.3;

    // exec: can orders reach the broker and be journaled?
    public Ramp BrokerLatencyMs { get; init; } = new(200, 3000);
    public Ramp OrderRejectRate { get; init; } = new(0, 0.2);
    public Ramp JournalLatencyMs { get; init; } = new(20, 1000);
    public double BrokerLatencyWeight { get; init; } = 0.25;
    public double OrderRejectWeight { get; init; } = 0.2;
    public double BreakersWeight { get; init; } = 0.35;
    public double JournalLatencyWeight { get; init; } = 0.2;

    public static HealthOptions Default { get; } = new();

    public IReadOnlyList<OptionError> Validate()
    {
        var e = new OptionErrors();
        (string, Ramp)[] ramps =
        [
            ("comm.transport_latency_ms", TransportLatencyMs), ("comm.drop_rate", DropRate), ("comm.reconnects", Reconnects),
            ("comm.heartbeat_age_s", HeartbeatAgeS), ("signal.data_age_s", DataAgeS), ("signal.data_reject_rate", DataRejectRate),
            ("signal.feature_availability", FeatureAvailability), ("exec.broker_latency_ms", BrokerLatencyMs),
            ("exec.order_reject_rate", OrderRejectRate), ("exec.journal_latency_ms", JournalLatencyMs),
        ];
        foreach (var (key, ramp) in ramps)
        {
            if (ramp is null) e.Require(false, $"{KeyPrefix}.{key}", "null", "is required");
            else ramp.Validate(e, $"{KeyPrefix}.{key}");
        }
        (string, double)[] weights =
        [
            ("comm.weights.transport_latency", TransportLatencyWeight), ("comm.weights.drop_rate", DropRateWeight),
            ("comm.weights.reconnects", ReconnectsWeight), ("comm.weights.heartbeat", HeartbeatWeight),
            ("signal.weights.data_age", DataAgeWeight), ("signal.weights.data_reject", DataRejectWeight),
            ("signal.weights.features", FeatureWeight), ("exec.weights.broker_latency", BrokerLatencyWeight),
            ("exec.weights.order_reject", OrderRejectWeight), ("exec.weights.breakers", BreakersWeight),
            ("exec.weights.journal_latency", JournalLatencyWeight),
        ];
        foreach (var (key, weight) in weights) e.InRange($"{KeyPrefix}.{key}", weight, 0.01, 100);
        return e.Errors;
    }
}
