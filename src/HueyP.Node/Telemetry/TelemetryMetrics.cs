using System.Diagnostics.Metrics;
using HueyP.Domain.Modes;

namespace HueyP.Node.Telemetry;

/// <summary>
/// The node's System.Diagnostics.Metrics instruments (meter "HueyP.Node"). Observable ones read the hub's latest
/// snapshot when a listener collects, so measuring costs the engine nothing between scrapes. One meter per node, so
/// two nodes in one process (tests) never mix their figures.
/// </summary>
public sealed class TelemetryMetrics : IDisposable
{
    public const string MeterName = "HueyP.Node";
    private static readonly Mode[] AllModes = Enum.GetValues<Mode>();

    public TelemetryMetrics(TelemetryHub hub)
    {
        Meter = new Meter(MeterName, "1.0");
        Meter.CreateObservableCounter("hueyp_ticks", () => hub.Latest.Symbols.Select(s => new Measurement<long>(s.Quotes, Tag("symbol", s.Symbol))),
            "ticks", "Quotes the engine processed, per symbol");
        Meter.CreateObservableGauge("hueyp_ticks_per_second", () => hub.Latest.Symbols.Where(s => s.TicksPerS is not null)
            .Select(s => new Measurement<double>(s.TicksPerS!.Value, Tag("symbol", s.Symbol))), "ticks/s", "Quotes per second over the last 5 s, per symbol");
        Meter.CreateObservableCounter("hueyp_decisions", () => Decisions(hub.Latest), "decisions", "Decision records by outcome (intent, or rejected with its reason)");
        Meter.CreateObservableCounter("hueyp_fills", () => hub.Latest.Kpis.Fills is { } f ? [new Measurement<long>(f)] : Array.Empty<Measurement<long>>(),
            "fills", "Fills booked by the ledger (absent when the node has no ledger)");
        Meter.CreateObservableGauge("hueyp_mailbox_depth", () => hub.Latest.BusiestActors.Select(a =>
            new Measurement<int>(a.Mailbox, Tag("path", a.Path), Tag("actor_type", a.Type))), "messages", "Mailbox depth of the busiest actors");
        Meter.CreateObservableCounter("hueyp_actor_restarts", () => hub.Latest.RestartsByActorType.Select(kv =>
            new Measurement<long>(kv.Value, Tag("actor_type", kv.Key))), "restarts", "Actor restarts by actor type");
        Meter.CreateObservableGauge("hueyp_breaker_state", () => hub.Latest.Breakers.Select(b =>
            new Measurement<int>(b.Status switch { "closed" => 0, "half_open" => 1, _ => 2 }, Tag("dependency", b.Dependency))),
            null, "Circuit breaker per dependency: 0 closed, 1 half-open, 2 open");
        Meter.CreateObservableGauge("hueyp_mode", () => hub.Latest.Mode is { } m
            ? AllModes.Select(mode => new Measurement<int>(mode.Display() == m.Mode ? 1 : 0, Tag("mode", mode.Display())))
            : Array.Empty<Measurement<int>>(), null, "1 for the engine's current mode, 0 for the others");
        Meter.CreateObservableGauge("hueyp_score", () => hub.Latest.Scores.Cards.Where(c => c.Score is not null)
            .Select(c => new Measurement<double>(c.Score!.Value, Tag("gate", c.Name.ToLowerInvariant().Replace(' ', '_')))), null, "Gate scores 0..100");
        Meter.CreateObservableGauge("hueyp_route_active", () => hub.Latest.Router.Transports.Where(t => hub.Latest.Router.ActiveTransport is not null)
            .Select(t => new Measurement<int>(t.Active ? 1 : 0, Tag("transport", t.Name))), null, "1 for the transport carrying bridge traffic");
        Meter.CreateObservableGauge("hueyp_orders", () => (hub.Latest.OrdersByState ?? new Dictionary<string, long>()).Select(kv =>
            new Measurement<long>(kv.Value, Tag("state", kv.Key))), "orders", "Orders by state (absent when the node has no order side)");
        Meter.CreateObservableGauge("hueyp_outbox_depth", () => hub.Latest.Router.Outbox?.Depth is { } d ? [new Measurement<long>(d)] : Array.Empty<Measurement<long>>(),
            "messages", "Bridge messages waiting for an acknowledgement (absent without the bridge)");
        Meter.CreateObservableGauge("hueyp_outbox_oldest_age_seconds", () => hub.Latest.Router.Outbox?.OldestAgeS is { } a ? [new Measurement<double>(a)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest unacknowledged bridge message");
        Meter.CreateObservableGauge("hueyp_transport_latency_seconds", () => hub.Latest.Router.Transports.Where(t => t.LatencyMs is not null)
            .Select(t => new Measurement<double>(t.LatencyMs!.Value / 1000, Tag("transport", t.Name))), "s", "Bridge round trip per transport");
        Meter.CreateObservableGauge("hueyp_failover_epoch", () => hub.Latest.Cluster is { } c ? [new Measurement<long>(c.Epoch)] : Array.Empty<Measurement<long>>(),
            null, "The cluster term this node last held or saw (absent without the cluster module)");
        Meter.CreateObservableGauge("hueyp_cluster_active", () => hub.Latest.Cluster is { } c ? [new Measurement<int>(c.Role == "active" ? 1 : 0)] : Array.Empty<Measurement<int>>(),
            null, "1 while this node holds the active role");
        Meter.CreateObservableGauge("hueyp_nav", () => hub.Latest.Nav.NavTotal is { } n ? [new Measurement<double>(n)] : Array.Empty<Measurement<double>>(),
            null, "Net asset value in the account currency (absent without a ledger)");
        Meter.CreateObservableGauge("hueyp_uptime_seconds", () => new Measurement<double>(hub.Latest.Kpis.UptimeS), "s", "Seconds since telemetry started");
        ModeTransitions = Meter.CreateCounter<long>("hueyp_mode_transitions", "transitions", "Mode changes seen on the event stream");
        TelemetryEvents = Meter.CreateCounter<long>("hueyp_telemetry_events", "events", "Events telemetry recorded, by kind");
        StateWriteSeconds = Meter.CreateHistogram<double>("hueyp_telemetry_write_seconds", "s", "Time to write the state files once");
        TickToDecisionSeconds = Meter.CreateHistogram("hueyp_tick_to_decision_seconds", "s",
            "Live quote queued by the engine to processed by its symbol (the decision step)", advice: Seconds(FastSeconds));
        OrderAckSeconds = Meter.CreateHistogram("hueyp_order_ack_seconds", "s", "Order handed to the broker to the broker's acknowledgement",
            advice: Seconds(SlowSeconds));
        JournalWriteSeconds = Meter.CreateHistogram("hueyp_journal_write_seconds", "s", "Journal commit (one transaction of the single writer) begin to acknowledged",
            advice: Seconds(SlowSeconds));
        JournalBatchEvents = Meter.CreateHistogram("hueyp_journal_batch_events", "events", "Events carried by one journal commit",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] });
    }

    /// <summary>Tick to decision is tens of microseconds on a quiet node; the buckets reach down there.</summary>
    private static readonly double[] FastSeconds = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    /// <summary>A disk commit or a broker round trip: from a fraction of a millisecond to seconds.</summary>
    private static readonly double[] SlowSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static InstrumentAdvice<double> Seconds(double[] bounds) => new() { HistogramBucketBoundaries = bounds };

    public Meter Meter { get; }
    public Counter<long> ModeTransitions { get; }
    public Counter<long> TelemetryEvents { get; }
    public Histogram<double> StateWriteSeconds { get; }
    public Histogram<double> TickToDecisionSeconds { get; }
    public Histogram<double> OrderAckSeconds { get; }
    public Histogram<double> JournalWriteSeconds { get; }
    public Histogram<long> JournalBatchEvents { get; }

    private static IEnumerable<Measurement<long>> Decisions(TelemetrySnapshot s)
    {
        if (s.Decisions is not { } d) yield break;
        yield return new Measurement<long>(d.Intents, Tag("outcome", "intent"));
        foreach (var (reason, count) in d.RejectionsByReason)
            yield return new Measurement<long>(count, Tag("outcome", "rejected"), Tag("reason", reason));
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    public void Dispose() => Meter.Dispose();
}
