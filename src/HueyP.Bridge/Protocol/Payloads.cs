using System.Text.Json;
using System.Text.Json.Serialization;

namespace HueyP.Bridge.Protocol;

public enum OrderSide { Buy, Sell }

/// <summary>Payload of SIGNAL and TRADE. <see cref="ExpiresAt"/> is mandatory: a late order is worse than none.</summary>
public sealed record OrderPayload(
    string OrderId,
    string Symbol,
    OrderSide Side,
    double Volume,
    DateTimeOffset ExpiresAt)
{
    /// <summary>TRADE only: MARKET, LIMIT, STOP, CLOSE.</summary>
    public string? OrderType { get; init; }
    public double? Price { get; init; }
    public double? StopLoss { get; init; }
    public double? TakeProfit { get; init; }
    public string? Strategy { get; init; }
}

public sealed record TickPayload(string Symbol, double Bid, double Ask, DateTimeOffset Time)
{
    public double? Volume { get; init; }
}

public static class AckStatus
{
    public const string Accepted = "ACCEPTED";
    public const string Duplicate = "DUPLICATE";
    public const string Expired = "EXPIRED";
    public const string Rejected = "REJECTED";
}

public sealed record AckPayload(string RefMessageId, string Status)
{
    public string? Reason { get; init; }
}

public sealed record ErrorPayload(string Code, string Reason)
{
    public string? RefMessageId { get; init; }
}

public sealed record HeartbeatPayload
{
    /// <summary>A nonce the peer must echo in <see cref="TestResponse"/>: proves the peer is alive, not just the socket.</summary>
    public string? TestRequest { get; init; }
    public string? TestResponse { get; init; }
}

public sealed record StatusRequestPayload
{
    /// <summary>Present on the first frame of a connection: the versions the client speaks, best first.</summary>
    public IReadOnlyList<string>? SupportedVersions { get; init; }
    public string? Client { get; init; }

    /// <summary>Bridge → EA: report these orders again (one EXECUTION_REPORT per state reached, UNKNOWN when never received).</summary>
    public IReadOnlyList<string>? OrderIds { get; init; }
}

public static class StatusResponseStatus
{
    public const string Ok = "OK";
    public const string Degraded = "DEGRADED";
    /// <summary>This node does not trade (cluster standby): connect to <see cref="StatusResponsePayload.ActiveEndpoint"/>.</summary>
    public const string Standby = "STANDBY";
}

public sealed record StatusResponsePayload(string Status)
{
    public string? NegotiatedVersion { get; init; }
    public string? Detail { get; init; }
    /// <summary>STANDBY only: the node that trades now, and its bridge address (host:port), when known.</summary>
    public string? ActiveNode { get; init; }
    public string? ActiveEndpoint { get; init; }
}

public static class ExecutionStatus
{
    public const string Accepted = "ACCEPTED";
    public const string Rejected = "REJECTED";
    public const string Filled = "FILLED";
    /// <summary>Only in answer to a STATUS_REQUEST: the EA never received this order id.</summary>
    public const string Unknown = "UNKNOWN";
}

/// <summary>Why the EA executed on its own: a position's protective stop was reached (the order's stop_loss / take_profit).</summary>
public static class ExecutionTrigger
{
    public const string StopLoss = "STOP_LOSS";
    public const string TakeProfit = "TAKE_PROFIT";
}

/// <summary>
/// EA → bridge: what became of an order on the EA's account. ACCEPTED (with the MT4 ticket as broker_order_id),
/// REJECTED (with a reason), FILLED (one execution: fill_id, quantity, price, commission, remaining), UNKNOWN.
/// A FILLED with a trigger is the close of the order's position by its stop-loss or take-profit.
/// </summary>
public sealed record ExecutionReportPayload(string OrderId, string Status, DateTimeOffset Time)
{
    public string? RefMessageId { get; init; }
    public string? BrokerOrderId { get; init; }
    public string? FillId { get; init; }
    public double? Quantity { get; init; }
    public double? Price { get; init; }
    public double? Commission { get; init; }
    public double? Remaining { get; init; }
    public string? Reason { get; init; }

    /// <summary>FILLED by a stop: the side of this execution (opposite to the order's: it closes the position).</summary>
    public string? Side { get; init; }

    /// <summary>FILLED by the EA on its own: STOP_LOSS or TAKE_PROFIT (see <see cref="ExecutionTrigger"/>); absent for the order's own fill.</summary>
    public string? Trigger { get; init; }
}

public sealed record ParamPayload(string Name, JsonElement Value);

/// <summary>Builds and reads payloads with the wire naming (snake_case, nulls omitted, ISO timestamps).</summary>
public static class Payloads
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
        options.Converters.Add(new IsoTimestampConverter());
        return options;
    }

    public static JsonElement ToElement<T>(T payload) => JsonSerializer.SerializeToElement(payload, Options);

    /// <summary>Reads a payload the codec has already validated; throws FrameException if it still does not fit.</summary>
    public static T Read<T>(JsonElement payload)
    {
        try
        {
            return payload.Deserialize<T>(Options) ?? throw new FrameException(FrameErrorReason.SchemaViolation, "payload is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new FrameException(FrameErrorReason.SchemaViolation, $"payload does not fit {typeof(T).Name}: {e.Message}");
        }
    }

    public static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement.Clone();

    private sealed class IsoTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Timestamps.TryParse(reader.GetString()!, out var at)
                ? at
                : throw new JsonException("expected an ISO 8601 timestamp");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Timestamps.Format(value));
    }
}
