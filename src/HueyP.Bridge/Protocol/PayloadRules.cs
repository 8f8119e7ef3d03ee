using System.Text.Json;

namespace HueyP.Bridge.Protocol;

internal enum FieldKind { String, Number, PositiveNumber, Integer, Boolean, Timestamp, StringArray, Scalar }

internal sealed record FieldRule(string Name, FieldKind Kind, bool Required, string[]? Allowed = null);

/// <summary>
/// The payload checks the codec applies (the executable twin of the JSON Schemas in docs/protocol.md):
/// required fields, their types and enumerations. Unknown fields are tolerated for forward compatibility.
/// </summary>
internal static class PayloadRules
{
    private static readonly string[] Sides = ["BUY", "SELL"];
    private static readonly string[] OrderTypes = ["MARKET", "LIMIT", "STOP", "CLOSE"];
    private static readonly string[] AckStatuses = [AckStatus.Accepted, AckStatus.Duplicate, AckStatus.Expired, AckStatus.Rejected];
    private static readonly string[] ExecutionStatuses = [ExecutionStatus.Accepted, ExecutionStatus.Rejected, ExecutionStatus.Filled, ExecutionStatus.Unknown];

    private static readonly FieldRule[] Order =
    [
        new("order_id", FieldKind.String, true),
        new("symbol", FieldKind.String, true),
        new("side", FieldKind.String, true, Sides),
        new("volume", FieldKind.PositiveNumber, true),
        new("expires_at", FieldKind.Timestamp, true),
        new("price", FieldKind.Number, false),
        new("stop_loss", FieldKind.Number, false),
        new("take_profit", FieldKind.Number, false),
        new("strategy", FieldKind.String, false),
    ];

    private static readonly FieldRule[][] ByType = BuildTable();

    private static FieldRule[][] BuildTable()
    {
        var table = new FieldRule[Enum.GetValues<MessageType>().Length][];
        table[(int)MessageType.Heartbeat] = [new("test_request", FieldKind.String, false), new("test_response", FieldKind.String, false)];
        table[(int)MessageType.StatusRequest] =
            [new("supported_versions", FieldKind.StringArray, false), new("client", FieldKind.String, false), new("order_ids", FieldKind.StringArray, false)];
        table[(int)MessageType.StatusResponse] =
            [new("status", FieldKind.String, true, [StatusResponseStatus.Ok, StatusResponseStatus.Degraded, StatusResponseStatus.Standby]),
             new("negotiated_version", FieldKind.String, false, ["1.0", "1.2"]), new("detail", FieldKind.String, false),
             new("active_node", FieldKind.String, false), new("active_endpoint", FieldKind.String, false)];
        table[(int)MessageType.Signal] = Order;
        table[(int)MessageType.Trade] = [.. Order, new("order_type", FieldKind.String, true, OrderTypes)];
        table[(int)MessageType.Param] = [new("name", FieldKind.String, true), new("value", FieldKind.Scalar, true)];
        table[(int)MessageType.Error] = [new("code", FieldKind.String, true), new("reason", FieldKind.String, true), new("ref_message_id", FieldKind.String, false)];
        table[(int)MessageType.Tick] =
            [new("symbol", FieldKind.String, true), new("bid", FieldKind.Number, true), new("ask", FieldKind.Number, true),
             new("time", FieldKind.Timestamp, true), new("volume", FieldKind.Number, false)];
        table[(int)MessageType.Ack] =
            [new("ref_message_id", FieldKind.String, true), new("status", FieldKind.String, true, AckStatuses), new("reason", FieldKind.String, false)];
        table[(int)MessageType.ExecutionReport] =
            [new("order_id", FieldKind.String, true), new("status", FieldKind.String, true, ExecutionStatuses), new("time", FieldKind.Timestamp, true),
             new("ref_message_id", FieldKind.String, false), new("broker_order_id", FieldKind.String, false), new("fill_id", FieldKind.String, false),
             new("quantity", FieldKind.PositiveNumber, false), new("price", FieldKind.PositiveNumber, false), new("commission", FieldKind.Number, false),
             new("remaining", FieldKind.Number, false), new("reason", FieldKind.String, false), new("side", FieldKind.String, false, Sides),
             new("trigger", FieldKind.String, false, [ExecutionTrigger.StopLoss, ExecutionTrigger.TakeProfit])];
        return table;
    }

    public static void Validate(MessageType type, JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
            throw new FrameException(FrameErrorReason.SchemaViolation, "payload must be an object");
        foreach (var rule in ByType[(int)type])
        {
            if (!payload.TryGetProperty(rule.Name, out var value))
            {
                if (rule.Required) throw Violation(type, rule, "is missing");
                continue;
            }
            if (!Fits(rule, value)) throw Violation(type, rule, $"must be {rule.Kind}{(rule.Allowed is null ? "" : " in [" + string.Join(",", rule.Allowed) + "]")}");
        }
    }

    private static FrameException Violation(MessageType type, FieldRule rule, string what) =>
        new(FrameErrorReason.SchemaViolation, $"{WireNames.Name(type)}.payload.{rule.Name} {what}");

    private static bool Fits(FieldRule rule, JsonElement value) => rule.Kind switch
    {
        FieldKind.String => value.ValueKind == JsonValueKind.String && (rule.Allowed is null || rule.Allowed.Contains(value.GetString())),
        FieldKind.Number => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d),
        FieldKind.PositiveNumber => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var p) && double.IsFinite(p) && p > 0,
        FieldKind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        FieldKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        FieldKind.Timestamp => value.ValueKind == JsonValueKind.String && Timestamps.TryParse(value.GetString()!, out _),
        FieldKind.StringArray => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
        FieldKind.Scalar => value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };
}
