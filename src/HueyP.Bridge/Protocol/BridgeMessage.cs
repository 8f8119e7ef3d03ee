using System.Text.Json;

namespace HueyP.Bridge.Protocol;

/// <summary>
/// One decoded message, independent of the envelope it travelled in. The payload is a detached
/// JsonElement (cloned), so the message is immutable and safe to pass between actors.
/// </summary>
public sealed record BridgeMessage(
    ProtocolVersion Version,
    MessageType Type,
    string MessageId,
    DateTimeOffset Timestamp,
    string Source,
    JsonElement Payload)
{
    public string? Destination { get; init; }

    /// <summary>Per-direction, per-connection sequence number stamped by the sending session (null from legacy EAs).</summary>
    public long? Sequence { get; init; }

    public BridgeMessage WithSequence(long sequence) => this with { Sequence = sequence };

    public BridgeMessage WithVersion(ProtocolVersion version) => this with { Version = version };

    /// <summary>The order id of a SIGNAL/TRADE (falls back to the message id).</summary>
    public string OrderKey =>
        Payload.ValueKind == JsonValueKind.Object && Payload.TryGetProperty("order_id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()!
            : MessageId;

    /// <summary>expires_at of a new-order message, if present and parseable.</summary>
    public DateTimeOffset? ExpiresAt =>
        Payload.ValueKind == JsonValueKind.Object && Payload.TryGetProperty("expires_at", out var e) && e.ValueKind == JsonValueKind.String
        && Timestamps.TryParse(e.GetString()!, out var at) ? at : null;

    public bool IsStale(DateTimeOffset now) => WireNames.IsOrder(Type) && ExpiresAt is { } at && at <= now;

    public override string ToString() => $"{WireNames.Name(Type)} {MessageId} v{WireNames.Name(Version)}{(Sequence is { } s ? $" #{s}" : "")}";
}

public static class Timestamps
{
    /// <summary>Round-trip ISO 8601 in UTC with milliseconds, e.g. 2026-11-22T04:13:04.123Z.</summary>
    public static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out DateTimeOffset at)
    {
        at = default;
        return text.Length is >= 19 and <= 40 && char.IsAsciiDigit(text[0])
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out at);
    }
}
