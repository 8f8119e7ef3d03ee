namespace HueyP.Actors.Sharding;

/// <summary>How an EntityRegion finds the entity (and its shard) a message is for.</summary>
public interface IMessageExtractor
{
    /// <summary>The entity the message is for; null means the message is not for this region.</summary>
    string? EntityId(object message);

    /// <summary>What the entity receives (often an unwrapped payload).</summary>
    object? EntityMessage(object message);

    /// <summary>Logical shard of the entity (used for grouping and statistics).</summary>
    string? ShardId(object message);
}

/// <summary>Shard = stable hash of the entity id modulo the number of shards, as Akka's HashCodeMessageExtractor.</summary>
public abstract class HashCodeMessageExtractor(int maxNumberOfShards) : IMessageExtractor
{
    public int MaxNumberOfShards { get; } = maxNumberOfShards > 0 ? maxNumberOfShards : throw new ArgumentOutOfRangeException(nameof(maxNumberOfShards));

    public abstract string? EntityId(object message);

    public virtual object? EntityMessage(object message) => message is ShardingEnvelope envelope ? envelope.Message : message;

    public virtual string? ShardId(object message)
    {
        var id = EntityId(message);
        return id is null ? null : ShardIdFor(id, MaxNumberOfShards);
    }

    /// <summary>Deterministic across processes (string.GetHashCode is randomized per process).</summary>
    public static string ShardIdFor(string entityId, int maxNumberOfShards)
    {
        unchecked
        {
            var hash = 17;
            foreach (var c in entityId) hash = hash * 31 + c;
            return ((hash & int.MaxValue) % maxNumberOfShards).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>Generic wrapper addressing a message to an entity.</summary>
public sealed record ShardingEnvelope(string EntityId, object Message);

/// <summary>Extractor for <see cref="ShardingEnvelope"/> messages.</summary>
public sealed class EnvelopeMessageExtractor(int maxNumberOfShards) : HashCodeMessageExtractor(maxNumberOfShards)
{
    public override string? EntityId(object message) => (message as ShardingEnvelope)?.EntityId;
}

/// <summary>
/// Sent by an entity to its region to stop gracefully: the region sends <see cref="StopMessage"/> to the
/// entity and buffers messages for it until it has terminated, then delivers them to a new incarnation.
/// </summary>
public sealed record Passivate(object StopMessage);

public sealed class GetRegionStats
{
    public static readonly GetRegionStats Instance = new();
    private GetRegionStats() { }
}

/// <summary>Entity count per shard.</summary>
public sealed record RegionStats(IReadOnlyDictionary<string, int> Stats)
{
    public int EntityCount => Stats.Values.Sum();
}

public sealed class GetShardRegionState
{
    public static readonly GetShardRegionState Instance = new();
    private GetShardRegionState() { }
}

public sealed record ShardState(string ShardId, IReadOnlyCollection<string> EntityIds);

public sealed record CurrentShardRegionState(IReadOnlyCollection<ShardState> Shards);

public sealed record EntityRegionSettings
{
    public static readonly EntityRegionSettings Default = new();

    /// <summary>Entities that received no message for this long are passivated; null disables it (Akka default 120 s).</summary>
    public TimeSpan? PassivateIdleEntityAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Message the region sends to an entity to stop it when passivating for idleness.</summary>
    public object HandOffStopMessage { get; init; } = PoisonPill.Instance;

    /// <summary>How the region supervises its entities (default: Akka's default strategy, restart).</summary>
    public SupervisorStrategy? EntitySupervisorStrategy { get; init; }
}
