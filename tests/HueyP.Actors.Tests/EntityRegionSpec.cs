using HueyP.Actors.Sharding;

namespace HueyP.Actors.Tests;

public sealed class EntityRegionSpec : TestKit.TestKit
{
    private IActorRef Region(EntityRegionSettings? settings = null) =>
        Sys.ActorOf(EntityRegion.Props(id => Props.Create(() => new Counter(id, TestActor)), new EnvelopeMessageExtractor(10), settings), "symbols");

    private RegionStats Stats(IActorRef region)
    {
        region.Tell(GetRegionStats.Instance, TestActor);
        return ExpectMsg<RegionStats>();
    }

    [Fact]
    public void Entities_are_created_on_first_message_as_children_named_by_entity_id()
    {
        var region = Region();
        region.Tell(new ShardingEnvelope("EURUSD", "inc"), TestActor);
        ExpectMsg("started:EURUSD");
        ExpectMsg(("EURUSD", 1));
        Assert.Equal("EURUSD", LastSender.Path.Name);
        Assert.Equal(region.Path / "EURUSD", LastSender.Path);
        region.Tell(new ShardingEnvelope("EURUSD", "inc"), TestActor);
        ExpectMsg(("EURUSD", 2));
        region.Tell(new ShardingEnvelope("GBPUSD", "inc"), TestActor);
        ExpectMsg("started:GBPUSD");
        ExpectMsg(("GBPUSD", 1));
        Assert.Equal(2, Stats(region).EntityCount);
    }

    [Fact]
    public void Idle_entities_are_passivated_after_the_timeout()
    {
        var region = Region(EntityRegionSettings.Default with { PassivateIdleEntityAfter = TimeSpan.FromSeconds(120) });
        region.Tell(new ShardingEnvelope("EURUSD", "inc"), TestActor);
        ExpectMsg("started:EURUSD");
        ExpectMsg(("EURUSD", 1));
        Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, Stats(region).EntityCount);
        Advance(TimeSpan.FromSeconds(120));
        ExpectMsg("stopped:EURUSD");
        AwaitCondition(() => Stats(region).EntityCount == 0);
        region.Tell(new ShardingEnvelope("EURUSD", "inc"), TestActor);
        ExpectMsg("started:EURUSD");
        ExpectMsg(("EURUSD", 1)); // a fresh incarnation
    }

    [Fact]
    public void Messages_arriving_during_passivation_are_delivered_to_the_next_incarnation()
    {
        var region = Region();
        region.Tell(new ShardingEnvelope("EURUSD", "inc"), TestActor);
        ExpectMsg("started:EURUSD");
        ExpectMsg(("EURUSD", 1));
        var entity = LastSender;
        region.Tell(new ShardingEnvelope("EURUSD", "passivate-slowly"), TestActor);
        ExpectMsg("passivating:EURUSD");
        region.Tell(new ShardingEnvelope("EURUSD", "inc"), TestActor); // buffered
        region.Tell(new ShardingEnvelope("EURUSD", "inc"), TestActor); // buffered
        entity.Tell("release", TestActor); // directly: the region would buffer it
        ExpectMsg("stopped:EURUSD");
        ExpectMsg("started:EURUSD");
        ExpectMsg(("EURUSD", 1));
        ExpectMsg(("EURUSD", 2));
    }

    [Fact]
    public void Region_state_lists_entities_per_shard()
    {
        var region = Region(EntityRegionSettings.Default with { PassivateIdleEntityAfter = null });
        foreach (var id in new[] { "A", "B", "C" })
        {
            region.Tell(new ShardingEnvelope(id, "inc"), TestActor);
            ExpectMsg($"started:{id}");
            ExpectMsg((id, 1));
        }
        region.Tell(GetShardRegionState.Instance, TestActor);
        var state = ExpectMsg<CurrentShardRegionState>();
        Assert.Equal(new[] { "A", "B", "C" }, state.Shards.SelectMany(s => s.EntityIds).OrderBy(x => x));
        Assert.All(state.Shards, s => Assert.Equal(HashCodeMessageExtractor.ShardIdFor(s.EntityIds.First(), 10), s.ShardId));
    }

    [Fact]
    public void Failing_entities_are_restarted_by_the_region()
    {
        var region = Region();
        region.Tell(new ShardingEnvelope("X", "inc"), TestActor);
        ExpectMsg("started:X");
        ExpectMsg(("X", 1));
        region.Tell(new ShardingEnvelope("X", "crash"), TestActor);
        ExpectMsg("stopped:X");
        ExpectMsg("started:X");
        region.Tell(new ShardingEnvelope("X", "inc"), TestActor);
        ExpectMsg(("X", 1));
        Assert.Equal(1, Stats(region).EntityCount);
    }

    [Fact]
    public void Entity_supervision_is_configurable()
    {
        var region = Region(EntityRegionSettings.Default with { EntitySupervisorStrategy = SupervisorStrategy.StoppingStrategy });
        region.Tell(new ShardingEnvelope("Y", "inc"), TestActor);
        ExpectMsg("started:Y");
        ExpectMsg(("Y", 1));
        region.Tell(new ShardingEnvelope("Y", "crash"), TestActor);
        ExpectMsg("stopped:Y");
        AwaitCondition(() => Stats(region).EntityCount == 0);
        region.Tell(new ShardingEnvelope("Y", "inc"), TestActor);
        ExpectMsg("started:Y");
        ExpectMsg(("Y", 1));
    }

    private sealed class Counter : ReceiveActor, IWithUnboundedStash
    {
        private readonly string _id;
        private readonly IActorRef _probe;
        private int _count;

        public IStash Stash { get; set; } = null!;

        public Counter(string id, IActorRef probe)
        {
            _id = id;
            _probe = probe;
            Receive<string>(s => s == "inc", _ => Sender.Tell((_id, ++_count)));
            Receive<string>(s => s == "crash", _ => throw new Crasher("entity crash"));
            Receive<string>(s => s == "passivate-slowly", _ =>
            {
                Context.Parent.Tell(new Passivate("stop-now"));
                _probe.Tell($"passivating:{_id}");
            });
            Receive<string>(s => s == "stop-now", _ => Become(() =>
            {
                // stays alive until released, so the region must buffer in between
                Receive<string>(s => s == "release", _ => Context.Stop(Self));
            }));
            Receive<string>(s => s == "release", _ => Context.Stop(Self));
        }

        protected internal override void PreStart() => _probe.Tell($"started:{_id}");

        protected internal override void PostStop() => _probe.Tell($"stopped:{_id}");
    }
}
