using HueyP.Domain.Breakers;

namespace HueyP.Domain.Health;

/// <summary>Transport measurements over the last window. Null or NaN: not measured.</summary>
public sealed record CommSnapshot(double? TransportLatencyMs, double? DropRate, double? Reconnects, double? HeartbeatAgeS);

/// <summary>Data measurements: age of the newest bar/tick, share of rows rejected by data quality, share of features available.</summary>
public sealed record SignalSnapshot(double? DataAgeS, double? DataRejectRate, double? FeatureAvailability);

/// <summary>Execution measurements, with the states of the breakers that guard order flow (null: not reported).</summary>
public sealed record ExecSnapshot(
    double? BrokerLatencyMs,
    double? OrderRejectRate,
    double? JournalLatencyMs,
    BreakerStatus? BrokerSubmit,
    BreakerStatus? BrokerReads,
    BreakerStatus? Journal);
