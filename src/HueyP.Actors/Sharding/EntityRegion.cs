using HueyP.Actors.Event;

namespace HueyP.Actors.Sharding;

/// <summary>
/// Local form of Cluster.Sharding's ShardRegion: routes messages to entity children (named by entity id,
/// created on first message), passivates idle entities and buffers messages during passivation.
/// </summary>
public sealed class EntityRegion : ActorBase, IWithTimers
{
    private sealed class PassivateIdleTick
    {
        public static readonly PassivateIdleTick Instance = new();
    }

    private sealed class Entity(IActorRef actor, string shardId, long lastActivity)
    {
        public IActorRef Actor { get; set; } = actor;
        public string ShardId { get; } = shardId;
        public long LastActivity { get; set; } = lastActivity;
        public bool Passivating { get; set; }
        public List<(object Message, IActorRef Sender)>? Buffer { get; set; }
    }

    private readonly Func<string, Props> _entityProps;
    private readonly IMessageExtractor _extractor;
    private readonly EntityRegionSettings _settings;
    private readonly Dictionary<string, Entity> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _idByRef = new();

    public EntityRegion(Func<string, Props> entityProps, IMessageExtractor extractor, EntityRegionSettings? settings = null)
    {
        _entityProps = entityProps;
        _extractor = extractor;
        _settings = settings ?? EntityRegionSettings.Default;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Func<string, Props> entityProps, IMessageExtractor extractor, EntityRegionSettings? settings = null) =>
        Actors.Props.Create(() => new EntityRegion(entityProps, extractor, settings));

    public static Props Props(Props entityProps, IMessageExtractor extractor, EntityRegionSettings? settings = null) =>
        Props(_ => entityProps, extractor, settings);

    private TimeProvider Clock => Context.System.Settings.TimeProvider;

    protected internal override SupervisorStrategy SupervisorStrategy() =>
        _settings.EntitySupervisorStrategy ?? base.SupervisorStrategy();

    protected internal override void PreStart()
    {
        if (_settings.PassivateIdleEntityAfter is { } idle && idle > TimeSpan.Zero)
        {
            var interval = TimeSpan.FromTicks(Math.Max(idle.Ticks / 2, TimeSpan.FromMilliseconds(100).Ticks));
            Timers.StartPeriodicTimer(PassivateIdleTick.Instance, PassivateIdleTick.Instance, interval);
        }
    }

    protected internal override bool Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated:
                EntityTerminated(terminated.ActorRef);
                return true;
            case Passivate passivate:
                if (_idByRef.TryGetValue(Sender, out var passivatingId)) StartPassivation(_entities[passivatingId], passivate.StopMessage);
                return true;
            case PassivateIdleTick:
                PassivateIdleEntities();
                return true;
            case GetRegionStats:
                Sender.Tell(new RegionStats(_entities.Values.GroupBy(e => e.ShardId).ToDictionary(g => g.Key, g => g.Count())), Self);
                return true;
            case GetShardRegionState:
                Sender.Tell(new CurrentShardRegionState(_entities
                    .GroupBy(e => e.Value.ShardId)
                    .Select(g => new ShardState(g.Key, g.Select(e => e.Key).OrderBy(id => id, StringComparer.Ordinal).ToArray()))
                    .ToArray()), Self);
                return true;
            default:
                return Route(message);
        }
    }

    private bool Route(object message)
    {
        var id = _extractor.EntityId(message);
        if (string.IsNullOrEmpty(id))
        {
            Context.GetLogger().Warning("Message of type {MessageType} has no entity id; dropped", message.GetType().Name);
            Context.System.DeadLetters.Tell(new DeadLetter(message, Sender, Self), Sender);
            return true;
        }
        var payload = _extractor.EntityMessage(message) ?? message;
        if (_entities.TryGetValue(id, out var entity))
        {
            if (entity.Passivating)
            {
                (entity.Buffer ??= new()).Add((payload, Sender));
                return true;
            }
        }
        else
        {
            entity = StartEntity(id, _extractor.ShardId(message) ?? "0");
        }
        entity.LastActivity = Clock.GetTimestamp();
        entity.Actor.Tell(payload, Sender);
        return true;
    }

    private Entity StartEntity(string id, string shardId)
    {
        var actor = Context.Watch(Context.ActorOf(_entityProps(id), Uri.EscapeDataString(id)));
        var entity = new Entity(actor, shardId, Clock.GetTimestamp());
        _entities[id] = entity;
        _idByRef[actor] = id;
        return entity;
    }

    private void StartPassivation(Entity entity, object stopMessage)
    {
        if (entity.Passivating) return;
        entity.Passivating = true;
        entity.Actor.Tell(stopMessage, Self);
    }

    private void PassivateIdleEntities()
    {
        var idle = _settings.PassivateIdleEntityAfter!.Value;
        var now = Clock.GetTimestamp();
        foreach (var entity in _entities.Values)
            if (!entity.Passivating && Clock.GetElapsedTime(entity.LastActivity, now) >= idle)
                StartPassivation(entity, _settings.HandOffStopMessage);
    }

    private void EntityTerminated(IActorRef actor)
    {
        if (!_idByRef.Remove(actor, out var id)) return;
        var entity = _entities[id];
        _entities.Remove(id);
        if (entity.Buffer is not { Count: > 0 } buffered) return;
        // Messages that arrived during passivation go to the next incarnation, in order.
        var next = StartEntity(id, entity.ShardId);
        foreach (var (message, sender) in buffered) next.Actor.Tell(message, sender);
    }
}
