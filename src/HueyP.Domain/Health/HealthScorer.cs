using HueyP.Domain.Breakers;

namespace HueyP.Domain.Health;

/// <summary>
/// The three health scores the mode ladder watches. Pure: a snapshot in, a score with its components out.
/// <list type="bullet">
/// <item>comm = 0.25 latency + 0.25 drop rate + 0.2 reconnects + 0.3 heartbeat age (critical)</item>
/// <item>signal = 0.4 data age (critical) + 0.3 reject rate + 0.3 feature availability</item>
/// <item>exec = 0.25 broker latency + 0.2 reject rate + 0.35 breakers (critical) + 0.2 journal latency</item>
/// </list>
/// </summary>
public sealed class HealthScorer
{
    private readonly HealthOptions _o;

    public HealthScorer(HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Strategy.InvalidOptionsException.ThrowIfAny(options.Validate());
        _o = options;
    }

    public static HealthScorer Default { get; } = new(HealthOptions.Default);

    public HealthScore Comm(CommSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return HealthScoring.Combine(HealthPath.Comm,
        [
            HealthScoring.Component("transport_latency_ms", s.TransportLatencyMs, _o.TransportLatencyMs, _o.TransportLatencyWeight),
            HealthScoring.Component("drop_rate", s.DropRate, _o.DropRate, _o.DropRateWeight),
            HealthScoring.Component("reconnects", s.Reconnects, _o.Reconnects, _o.ReconnectsWeight),
            // No heartbeat for the bad age means the transport is gone, whatever the other gauges still show.
            HealthScoring.Component("heartbeat_age_s", s.HeartbeatAgeS, _o.HeartbeatAgeS, _o.HeartbeatWeight, critical: true),
        ]);
    }

    public HealthScore Signal(SignalSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return HealthScoring.Combine(HealthPath.Signal,
        [
            // Deciding on data a minute old is deciding blind.
            HealthScoring.Component("data_age_s", s.DataAgeS, _o.DataAgeS, _o.DataAgeWeight, critical: true),
            HealthScoring.Component("data_reject_rate", s.DataRejectRate, _o.DataRejectRate, _o.DataRejectWeight),
            HealthScoring.Component("feature_availability", s.FeatureAvailability, _o.FeatureAvailability, _o.FeatureWeight),
        ]);
    }

    public HealthScore Exec(ExecSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return HealthScoring.Combine(HealthPath.Exec,
        [
            HealthScoring.Component("broker_latency_ms", s.BrokerLatencyMs, _o.BrokerLatencyMs, _o.BrokerLatencyWeight),
            HealthScoring.Component("order_reject_rate", s.OrderRejectRate, _o.OrderRejectRate, _o.OrderRejectWeight),
            BreakersComponent(s),
            HealthScoring.Component("journal_latency_ms", s.JournalLatencyMs, _o.JournalLatencyMs, _o.JournalLatencyWeight),
        ]);
    }

    /// <summary>
    /// 100 minus penalties: submit or journal open 100 (nothing can be traded or recorded), half-open 50;
    /// broker reads open 50, half-open 25. Any state not reported: missing.
    /// </summary>
    public static double BreakerPenalty(BreakerStatus submit, BreakerStatus reads, BreakerStatus journal) =>
        Penalty(submit, 100) + Penalty(reads, 50) + Penalty(journal, 100);

    private HealthComponent BreakersComponent(ExecSnapshot s)
    {
        if (s.BrokerSubmit is not { } submit || s.BrokerReads is not { } reads || s.Journal is not { } journal)
            return new HealthComponent("breakers", null, 0, _o.BreakersWeight, Missing: true, Critical: true);
        // Submit or journal open takes this to 0 and so caps exec at 40; broker reads alone cannot.
        var score = Math.Max(0, 100 - BreakerPenalty(submit, reads, journal));
        return new HealthComponent("breakers", score, score, _o.BreakersWeight, Missing: false, Critical: true);
    }

    private static double Penalty(BreakerStatus status, double open) => status switch
    {
        BreakerStatus.Open => open,
        BreakerStatus.HalfOpen => open / 2,
        _ => 0,
    };
}
