using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace HueyP.Persistence.Serialization;

/// <summary>
/// Maps event and snapshot types to manifests ("OrderFilled.v1") and UTF-8 JSON, using source-generated
/// <see cref="JsonTypeInfo{T}"/> only, so nothing on the hot path reflects over types.
/// Old manifests stay readable through upcasters. Register everything before the store is used.
/// </summary>
public sealed class EventSerializer
{
    private readonly ConcurrentDictionary<Type, Func<object, (string Manifest, byte[] Bytes)>> _writers = new();
    private readonly ConcurrentDictionary<string, Func<ReadOnlyMemory<byte>, object>> _readers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string NewManifest, Func<JsonNode, JsonNode> Upcast)> _jsonUpcasters = new(StringComparer.Ordinal);

    /// <summary>Registers the current shape of a type: it is written and read under this manifest.</summary>
    public EventSerializer Register<T>(string manifest, JsonTypeInfo<T> typeInfo) where T : notnull
    {
        ValidateManifest(manifest);
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (!_writers.TryAdd(typeof(T), value => (manifest, JsonSerializer.SerializeToUtf8Bytes((T)value, typeInfo))))
            throw new InvalidOperationException($"{typeof(T).Name} is already registered.");
        AddReader(manifest, bytes => JsonSerializer.Deserialize(bytes.Span, typeInfo)
            ?? throw new JsonException($"payload of {manifest} is JSON null"));
        return this;
    }

    /// <summary>
    /// Reads rows stored under an old manifest as the old type, then converts them to the current event.
    /// The result may itself be an old type with its own upcaster registered for its manifest's type; it is not re-upcast,
    /// so convert straight to the newest shape.
    /// </summary>
    public EventSerializer RegisterUpcaster<TOld, TNew>(string oldManifest, JsonTypeInfo<TOld> oldTypeInfo, Func<TOld, TNew> upcast)
        where TNew : notnull
    {
        ValidateManifest(oldManifest);
        ArgumentNullException.ThrowIfNull(oldTypeInfo);
        ArgumentNullException.ThrowIfNull(upcast);
        AddReader(oldManifest, bytes =>
        {
            var old = JsonSerializer.Deserialize(bytes.Span, oldTypeInfo) ?? throw new JsonException($"payload of {oldManifest} is JSON null");
            return upcast(old);
        });
        return this;
    }

    /// <summary>
    /// Rewrites the JSON of an old manifest into the JSON of a newer one, without keeping the old type around.
    /// Chains: X.v1 -> X.v2 -> X.v3 each registered once.
    /// </summary>
    public EventSerializer RegisterJsonUpcaster(string oldManifest, string newManifest, Func<JsonNode, JsonNode> upcast)
    {
        ValidateManifest(oldManifest);
        ValidateManifest(newManifest);
        ArgumentNullException.ThrowIfNull(upcast);
        if (_readers.ContainsKey(oldManifest) || !_jsonUpcasters.TryAdd(oldManifest, (newManifest, upcast)))
            throw new InvalidOperationException($"Manifest {oldManifest} already has a reader.");
        return this;
    }

    public bool CanSerialize(Type type) => _writers.ContainsKey(type);

    /// <summary>Serializes a registered type; throws <see cref="EventSerializationException"/> otherwise.</summary>
    public (string Manifest, byte[] Bytes) Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!_writers.TryGetValue(value.GetType(), out var writer))
            throw new EventSerializationException($"type {value.GetType().FullName} is not registered with the EventSerializer");
        try
        {
            return writer(value);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new EventSerializationException($"{value.GetType().Name} could not be serialized: {e.Message}", e);
        }
    }

    /// <summary>Decodes a stored payload; throws <see cref="EventSerializationException"/> saying why it could not.</summary>
    public object Deserialize(string manifest, ReadOnlyMemory<byte> payload)
    {
        var visited = 0;
        while (true)
        {
            if (_readers.TryGetValue(manifest, out var reader))
            {
                try
                {
                    return reader(payload);
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
                {
                    throw new EventSerializationException($"payload is not a valid {manifest}: {e.Message}", e);
                }
            }
            if (!_jsonUpcasters.TryGetValue(manifest, out var step))
                throw new EventSerializationException($"no type or upcaster is registered for manifest '{manifest}'");
            if (++visited > 64) throw new EventSerializationException($"upcaster chain from '{manifest}' does not end");
            JsonNode upcasted;
            try
            {
                var node = JsonNode.Parse(payload.Span) ?? throw new JsonException("payload is JSON null");
                upcasted = step.Upcast(node);
            }
            catch (JsonException e)
            {
                throw new EventSerializationException($"payload is not valid JSON for {manifest}: {e.Message}", e);
            }
            payload = System.Text.Encoding.UTF8.GetBytes(upcasted.ToJsonString());
            manifest = step.NewManifest;
        }
    }

    private void AddReader(string manifest, Func<ReadOnlyMemory<byte>, object> reader)
    {
        if (_jsonUpcasters.ContainsKey(manifest) || !_readers.TryAdd(manifest, reader))
            throw new InvalidOperationException($"Manifest {manifest} already has a reader.");
    }

    private static void ValidateManifest(string manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest) || manifest.Any(char.IsWhiteSpace))
            throw new ArgumentException($"Manifest '{manifest}' must be non-empty without whitespace, e.g. OrderFilled.v1.", nameof(manifest));
    }
}

public sealed class EventSerializationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A stored event or snapshot could not be decoded. Replay stops here rather than skip it.</summary>
public sealed class EventDecodingException(string persistenceId, long sequenceNr, string manifest, Exception inner)
    : Exception($"Cannot decode the stored event of persistence id '{persistenceId}', sequence number {sequenceNr}, manifest '{manifest}': {inner.Message}", inner)
{
    public string PersistenceId { get; } = persistenceId;
    public long SequenceNr { get; } = sequenceNr;
    public string Manifest { get; } = manifest;
}
