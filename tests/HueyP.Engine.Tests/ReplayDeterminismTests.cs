using HueyP.Actors;
using HueyP.Engine.Feeds;
using HueyP.Engine.Symbols;

namespace HueyP.Engine.Tests;

public sealed class ReplayDeterminismTests : Actors.TestKit.TestKit
{
    private async Task<ReplayResult> ReplayAsync(EngineSettings settings, ReplayWindow? window, string name, IProgress<ReplayProgress>? progress = null)
    {
        await using var engine = await EngineHost.StartAsync(Sys, settings, name: name);
        return await engine.RunReplayAsync(TestData.AprilBars().Feed, window, progress);
    }

    [Fact]
    public async Task Replaying_the_same_data_twice_gives_the_same_decisions_and_hash()
    {
        var first = await ReplayAsync(TestData.Settings(), TestData.FirstWeekOfApril, "engine-1");
        var second = await ReplayAsync(TestData.Settings(), TestData.FirstWeekOfApril, "engine-2");

        Assert.True(first.Records.Signals > 5, $"expected signals in a week of M5 bars, got {first.Records.Signals}");
        Assert.Equal(first.Quotes, second.Quotes);
        Assert.Equal(first.Records.Signals, second.Records.Signals);
        Assert.Equal(first.Records.Intents, second.Records.Intents);
        Assert.Equal(first.Records.RejectionsByReason, second.Records.RejectionsByReason);
        Assert.Equal(first.Records.Hash, second.Records.Hash);
        Assert.NotEqual(new string('0', 64), first.Records.Hash);
    }

    [Fact]
    public async Task Changing_a_strategy_parameter_changes_the_hash()
    {
        var baseline = await ReplayAsync(TestData.Settings(fastPeriod: 12), TestData.FirstWeekOfApril, "engine-1");
        var changed = await ReplayAsync(TestData.Settings(fastPeriod: 9), TestData.FirstWeekOfApril, "engine-2");

        Assert.NotEqual(baseline.Records.Hash, changed.Records.Hash);
    }

    [Fact]
    public async Task The_whole_shipped_April_replays_to_the_same_hash_every_time()
    {
        var settings = TestData.Settings() with { Decision = TestData.Settings().Decision with { Strategy = new() } };
        var first = await ReplayAsync(settings, null, "engine-1");
        var second = await ReplayAsync(settings, null, "engine-2");

        Assert.True(first.Quotes > 100_000, $"April should give well over 100k quotes, got {first.Quotes}");
        Assert.Equal(0, first.UnknownSymbolQuotes);
        Assert.Equal(first.Records.Hash, second.Records.Hash);
        Assert.Equal(first.Records.Signals, second.Records.Signals);
    }

    [Fact]
    public async Task A_symbol_that_crashes_mid_replay_is_restarted_rewarmed_and_decides_exactly_as_without_the_crash()
    {
        var clean = await ReplayAsync(TestData.Settings(), TestData.FirstWeekOfApril, "engine-clean");

        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings(), name: "engine-chaos");
        var crashes = 0;
        // Progress is reported between slices, so the crash lands between two batches of the symbol, as an operator's
        // `hueyp actor crash` would.
        var progress = new InlineProgress(p =>
        {
            if (crashes >= 3) return;
            crashes++;
            var symbol = Sys.ActorSelection("/user/engine-chaos/symbols/" + (crashes % 2 == 0 ? "EURUSD" : "GBPUSD")).ResolveOne(TimeSpan.FromSeconds(3)).Result;
            Sys.Diagnostics.Crash(symbol, new InvalidOperationException("chaos"));
        });
        var chaotic = await engine.RunReplayAsync(TestData.AprilBars().Feed, TestData.FirstWeekOfApril, progress);

        Assert.Equal(3, crashes);
        var eur = await engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus("EURUSD"));
        var gbp = await engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus("GBPUSD"));
        Assert.Equal((1, 2), (eur.Restarts, gbp.Restarts));
        Assert.Equal(3, chaotic.SymbolRestarts);
        Assert.Equal(clean.Records.Signals, chaotic.Records.Signals);
        Assert.Equal(clean.Records.Hash, chaotic.Records.Hash);
    }

    [Fact]
    public async Task Quotes_outside_the_window_are_not_replayed()
    {
        var window = new ReplayWindow(new DateTime(2025, 4, 2, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 4, 3, 0, 0, 0, DateTimeKind.Utc));
        var result = await ReplayAsync(TestData.Settings(), window, "engine-1");

        // Two symbols, 1440 one-minute bars a day, four quotes per bar (a few quiet minutes are skipped).
        Assert.InRange(result.Quotes, 2 * 1300 * 4, 2 * 1440 * 4);
        Assert.True(result.OutsideWindowQuotes > result.Quotes);
    }

    private sealed class InlineProgress(Action<ReplayProgress> report) : IProgress<ReplayProgress>
    {
        public void Report(ReplayProgress value) => report(value);
    }
}
