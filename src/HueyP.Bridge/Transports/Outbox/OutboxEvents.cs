using System.Text.Json.Serialization;
using HueyP.Persistence.Serialization;

namespace HueyP.Bridge.Transports.Outbox;

/// <summary>An outbound SIGNAL/TRADE taken into the outbox: the message as a v1.0 frame body (no key needed to read it back).</summary>
public sealed record OutboxEnqueued(string MessageId, string Frame, DateTimeOffset EnqueuedAt);

/// <summary>The message left the outbox: ACKed by the EA ("acked") or given up on with a recorded reason ("dropped").</summary>
public sealed record OutboxSettled(string MessageId, string Outcome, DateTimeOffset SettledAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OutboxEnqueued))]
[JsonSerializable(typeof(OutboxSettled))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;

/// <summary>The outbox's journal events; whatever reads a node's journal registers these beside the engine's.</summary>
public static class OutboxSerialization
{
    public const string EnqueuedManifest = "BridgeOutboxEnqueued.v1";
    public const string SettledManifest = "BridgeOutboxSettled.v1";

    /// <summary>Idempotent: a serializer that already knows the types is returned unchanged.</summary>
    public static EventSerializer Register(EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        if (serializer.CanSerialize(typeof(OutboxEnqueued))) return serializer;
        return serializer
            .Register(EnqueuedManifest, OutboxJsonContext.Default.OutboxEnqueued)
            .Register(SettledManifest, OutboxJsonContext.Default.OutboxSettled);
    }
}
