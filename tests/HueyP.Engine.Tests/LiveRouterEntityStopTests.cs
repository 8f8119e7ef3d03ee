using HueyP.Actors;
using HueyP.Domain.Market;
using HueyP.Engine.Feeds;
using HueyP.Engine.Symbols;

namespace HueyP.Engine.Tests;

/// <summary>The live router after the entity it sends to directly has stopped (region restart, supervision stop).</summary>
public sealed class LiveRouterEntityStopTests : Actors.TestKit.TestKit
{
    private static LiveQuote At(int second, double bid) =>
        new(new Quote("EURUSD", new DateTime(2025, 4, 1, 12, 0, second, DateTimeKind.Utc), bid, bid + 0.0001), 0);

    /// <summary>Stands in for a symbol entity: a real actor (so it can be stopped and watched) that hands on what it gets.</summary>
    private sealed class EntityStandIn : ReceiveActor
    {
        public EntityStandIn(IActorRef probe) => ReceiveAny(message => probe.Forward(message));
    }

    [Fact]
    public void A_stopped_entity_does_not_swallow_quotes_the_waiting_quote_goes_to_the_region_and_the_new_entity_is_used()
    {
        var region = CreateTestProbe();
        var firstEntity = CreateTestProbe();
        var secondEntity = CreateTestProbe();
        var router = Sys.ActorOf(LiveRouterActor.Props(region.Ref, ["EURUSD"], creditsPerSymbol: 1));
        var entity = Sys.ActorOf(Props.Create(() => new EntityStandIn(firstEntity.Ref)));

        router.Tell(At(0, 1.10), TestActor);
        Assert.Equal("EURUSD", region.ExpectMsg<GetEntity>().Symbol);
        Assert.Equal(1.10, region.ExpectMsg<LiveQuote>().Quote.Bid);
        router.Tell(new EntityFor("EURUSD", entity), region.Ref);
        router.Tell(new QuoteCredit("EURUSD"), TestActor);

        // The entity is known: quotes skip the region.
        router.Tell(At(1, 1.11), TestActor);
        Assert.Equal(1.11, firstEntity.ExpectMsg<LiveQuote>().Quote.Bid);
        // Its only credit is in use: 1.12 is replaced by 1.13 while waiting.
        router.Tell(At(2, 1.12), TestActor);
        router.Tell(At(3, 1.13), TestActor);

        // The entity stops with 1.11 in flight: that credit never comes back, yet the waiting quote must not stay stuck.
        Sys.Stop(entity);
        Assert.Equal(1.13, region.ExpectMsg<LiveQuote>().Quote.Bid);
        Assert.Equal("EURUSD", region.ExpectMsg<GetEntity>().Symbol);

        // Credits start afresh: once 1.13 is processed the next quote goes straight out, still through the region.
        router.Tell(new QuoteCredit("EURUSD"), TestActor);
        router.Tell(At(4, 1.14), TestActor);
        Assert.Equal(1.14, region.ExpectMsg<LiveQuote>().Quote.Bid);

        // The region names the new entity: quotes skip the region again.
        var recreated = Sys.ActorOf(Props.Create(() => new EntityStandIn(secondEntity.Ref)));
        router.Tell(new EntityFor("EURUSD", recreated), region.Ref);
        router.Tell(new QuoteCredit("EURUSD"), TestActor);
        router.Tell(At(5, 1.15), TestActor);
        Assert.Equal(1.15, secondEntity.ExpectMsg<LiveQuote>().Quote.Bid);

        router.Tell(GetLiveStats.Instance, TestActor);
        Assert.Equal(new LiveStats(Received: 6, Forwarded: 5, Conflated: 1, UnknownSymbols: 0), ExpectMsg<LiveStats>());
    }
}
