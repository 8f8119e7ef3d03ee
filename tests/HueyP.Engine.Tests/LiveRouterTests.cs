using HueyP.Actors;
using HueyP.Domain.Market;
using HueyP.Engine.Feeds;
using HueyP.Engine.Symbols;

namespace HueyP.Engine.Tests;

public sealed class LiveRouterTests : Actors.TestKit.TestKit
{
    private static LiveQuote At(int second, double bid, string symbol = "EURUSD") =>
        new(new Quote(symbol, new DateTime(2025, 4, 1, 12, 0, second, DateTimeKind.Utc), bid, bid + 0.0001), 0);

    [Fact]
    public void A_lagging_symbol_gets_the_latest_quote_and_the_stale_ones_are_counted_as_conflated()
    {
        var symbols = CreateTestProbe();
        var router = Sys.ActorOf(LiveRouterActor.Props(symbols.Ref, ["EURUSD", "GBPUSD"], creditsPerSymbol: 1));

        router.Tell(At(0, 1.10), TestActor);
        // The router asks the region for the entity (to skip the region on later quotes) and meanwhile routes via the region.
        Assert.Equal("EURUSD", symbols.ExpectMsg<GetEntity>().Symbol);
        Assert.Equal(1.10, symbols.ExpectMsg<LiveQuote>().Quote.Bid);

        // EURUSD is still busy: three more quotes arrive, only the newest is kept.
        router.Tell(At(1, 1.11), TestActor);
        router.Tell(At(2, 1.12), TestActor);
        router.Tell(At(3, 1.13), TestActor);
        // Another symbol is not held up by EURUSD.
        router.Tell(At(3, 1.30, "GBPUSD"), TestActor);
        symbols.ExpectMsg<GetEntity>();
        Assert.Equal("GBPUSD", symbols.ExpectMsg<LiveQuote>().Symbol);

        router.Tell(new QuoteCredit("EURUSD"), TestActor);
        Assert.Equal(1.13, symbols.ExpectMsg<LiveQuote>().Quote.Bid);
        router.Tell(new QuoteCredit("EURUSD"), TestActor);
        symbols.ExpectNoMsg(TimeSpan.FromMilliseconds(50));

        // Idle again: the next quote goes straight through.
        router.Tell(At(4, 1.14), TestActor);
        Assert.Equal(1.14, symbols.ExpectMsg<LiveQuote>().Quote.Bid);

        router.Tell(GetLiveStats.Instance, TestActor);
        Assert.Equal(new LiveStats(Received: 6, Forwarded: 4, Conflated: 2, UnknownSymbols: 0), ExpectMsg<LiveStats>());
    }

    [Fact]
    public void A_quote_for_an_unknown_symbol_is_counted_and_not_routed()
    {
        var symbols = CreateTestProbe();
        var router = Sys.ActorOf(LiveRouterActor.Props(symbols.Ref, ["EURUSD"], creditsPerSymbol: 1));

        router.Tell(At(0, 1.5, "XAUUSD"), TestActor);
        router.Tell(GetLiveStats.Instance, TestActor);

        Assert.Equal(1, ExpectMsg<LiveStats>().UnknownSymbols);
        symbols.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task In_live_mode_each_quote_reaches_its_symbol_and_the_observer_sees_it_processed()
    {
        var observer = new CountingObserver();
        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings() with { Mode = EngineMode.Live }, observer: observer);
        for (var i = 0; i < 10; i++)
        {
            engine.PublishLive(At(i, 1.10 + i * 0.0001).Quote);
            // One at a time, so nothing is conflated and every quote must be seen.
            AwaitCondition(() => observer.Count == i + 1);
        }

        var status = await engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus("EURUSD"));
        Assert.Equal(10, status.Quotes);
        var stats = await engine.Refs.LiveRouter.Ask<LiveStats>(GetLiveStats.Instance);
        Assert.Equal(0, stats.Conflated);
    }

    private sealed class CountingObserver : ITickObserver
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void OnQuoteProcessed(long enqueuedTimestamp, Domain.Decisions.DecisionRecord? record) => Interlocked.Increment(ref _count);
    }
}
