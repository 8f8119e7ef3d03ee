using HueyP.Actors;
using HueyP.Domain.Bars;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Domain.Symbols;
using HueyP.Engine.Symbols;
using HueyP.MarketData.Synthetic;

namespace HueyP.Engine.Tests;

public sealed class SymbolTests : Actors.TestKit.TestKit
{
    [Fact]
    public async Task A_halted_symbol_records_its_signals_but_sends_no_order_intents()
    {
        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings());
        var halted = await engine.Refs.Symbols.Ask<SymbolStateChanged>(new ChangeSymbolState("GBPUSD", SymbolState.Halt));
        Assert.Equal(SymbolState.Halt, halted.State);

        var result = await engine.RunReplayAsync(TestData.AprilBars().Feed, TestData.FirstWeekOfApril);

        var gbp = await engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus("GBPUSD"));
        var eur = await engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus("EURUSD"));
        Assert.True(gbp.Signals > 0);
        Assert.Equal(0, gbp.Intents);
        Assert.True(eur.Intents > 0);
        Assert.Equal(SymbolState.Armed, eur.State);
        Assert.True(result.Records.RejectionsByReason.GetValueOrDefault("REJECT Halted") >= gbp.Signals);
    }

    [Fact]
    public async Task An_illegal_state_change_is_refused_with_the_allowed_targets()
    {
        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings());
        var refused = await engine.Refs.Symbols.Ask<SymbolStateChanged>(new ChangeSymbolState("EURUSD", SymbolState.Managing));

        Assert.Equal(SymbolState.Idle, refused.State);
        Assert.Contains("illegal transition IDLE -> MANAGING", refused.Error);
    }

    [Fact]
    public async Task In_live_mode_decisions_are_recorded_as_they_happen()
    {
        var settings = TestData.Settings() with
        {
            Mode = EngineMode.Live,
            Symbols = ["EURUSD"],
            Decision = new DecisionEngineOptions { Strategy = new() { Timeframe = Timeframe.M1 } },
        };
        using var processed = new SemaphoreSlim(0);
        await using var engine = await EngineHost.StartAsync(Sys, settings, observer: new ReleasingObserver(processed));
        var options = new SyntheticMarketOptions { Seed = 3, TicksPerSecond = 2, Symbols = [SyntheticSymbol.Majors28.First(s => s.Name == "EURUSD")] };
        // Two ticks a second: 20,000 quotes span almost three hours of M1 bars, enough to warm up and cross. One quote at
        // a time, as a market would deliver them: a burst would (rightly) be conflated to its latest quotes.
        using (var reader = new SyntheticQuoteReader(options with { MaxQuotes = 20_000 }))
        {
            while (reader.TryRead(out var quote))
            {
                engine.PublishLive(quote);
                Assert.True(await processed.WaitAsync(TimeSpan.FromSeconds(5)));
            }
        }

        var stats = await engine.FlushAsync();
        var status = await engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus("EURUSD"));
        Assert.Equal(20_000, status.Quotes);
        Assert.True(stats.Signals > 0);
        Assert.Equal(status.Signals, stats.Signals);
    }

    private sealed class ReleasingObserver(SemaphoreSlim processed) : ITickObserver
    {
        public void OnQuoteProcessed(long enqueuedTimestamp, DecisionRecord? record) => processed.Release();
    }
}
