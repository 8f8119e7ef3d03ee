using System.Text.Json.Serialization;
using HueyP.Bridge.Protocol;
using HueyP.Persistence.Serialization;

namespace HueyP.Node.Bridge.Mt4Broker;

/// <summary>/user/bridge-inbound → MT4 broker: the EA ACKed one of our messages (delivery, not execution).</summary>
public sealed record EaAcknowledged(string RefMessageId, string Status, string? Reason);

/// <summary>/user/bridge-inbound → MT4 broker: an EXECUTION_REPORT from the EA (already de-duplicated by message id).</summary>
public sealed record EaExecutionReported(string MessageId, ExecutionReportPayload Report);

/// <summary>Replies <see cref="Mt4BrokerStatus"/>: what the MT4 broker holds, for tests and diagnosis.</summary>
public sealed record GetMt4BrokerStatus
{
    public static readonly GetMt4BrokerStatus Instance = new();
}

/// <param name="Orders">Orders sent to the EA, by client order id, with their current state.</param>
/// <param name="ReportsApplied">EA reports journaled and handed to orders and ledger.</param>
/// <param name="ReportsIgnored">EA reports not applied: repeats of one already applied, or about orders we never sent.</param>
public sealed record Mt4BrokerStatus(IReadOnlyDictionary<string, string> Orders, long ReportsApplied, long ReportsIgnored, long Resent, long StatusRequests);

// ---- journal events (persistence id "mt4-broker") ----

/// <summary>An order taken from an order entity and handed to the bridge's outbox as a TRADE (journaled first).</summary>
public sealed record Mt4OrderSent(
    string ClientOrderId, string MessageId, string Symbol, string Side, string OrderType, decimal Quantity,
    decimal? Price, decimal? StopLoss, decimal? TakeProfit, DateTime SubmitUtc, DateTimeOffset SentAt, DateTimeOffset ExpiresAt);

/// <summary>The EA ACKed the TRADE (ACCEPTED or DUPLICATE): it has the order, its execution reports will follow.</summary>
public sealed record Mt4OrderDelivered(string ClientOrderId, string AckStatus, DateTimeOffset At);

/// <summary>
/// One fact about an order, applied once: <see cref="Key"/> is "accepted", "rejected" or "fill:&lt;fill id&gt;".
/// Journaled before it reaches the order entity and the ledger, so a replayed EA report is recognised after a restart.
/// A fill with a <see cref="Trigger"/> (STOP_LOSS / TAKE_PROFIT) is the EA closing the order's position at its stop:
/// the order's <c>-SL</c> / <c>-TP</c> child filled on <see cref="Side"/> (BUY / SELL), not a fill of the order itself.
/// </summary>
public sealed record Mt4ReportApplied(
    string Key, string ClientOrderId, string Status, string? BrokerOrderId, string? FillId, decimal? Quantity, decimal? Price,
    decimal? Fee, string? Reason, DateTime TimeUtc, string Source, string? Trigger = null, string? Side = null)
{
    [JsonIgnore]
    public bool IsStopClose => Trigger is not null;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Mt4OrderSent))]
[JsonSerializable(typeof(Mt4OrderDelivered))]
[JsonSerializable(typeof(Mt4ReportApplied))]
internal sealed partial class Mt4BrokerJsonContext : JsonSerializerContext;

/// <summary>The MT4 broker's journal events; a node's journal readers register them beside the engine's.</summary>
public static class Mt4BrokerSerialization
{
    /// <summary>Idempotent: a serializer that already knows the types is returned unchanged.</summary>
    public static EventSerializer Register(EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        if (serializer.CanSerialize(typeof(Mt4OrderSent))) return serializer;
        return serializer
            .Register("Mt4OrderSent.v1", Mt4BrokerJsonContext.Default.Mt4OrderSent)
            .Register("Mt4OrderDelivered.v1", Mt4BrokerJsonContext.Default.Mt4OrderDelivered)
            .Register("Mt4ReportApplied.v1", Mt4BrokerJsonContext.Default.Mt4ReportApplied);
    }
}
