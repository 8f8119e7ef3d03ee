using System.Text.Json;
using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Domain.Bars;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Engine.Symbols;
using HueyP.MarketData.Synthetic;
using HueyP.MarketData.Ticks;
using HueyP.Persistence;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests;

/// <summary>
/// A live engine that stops (a crash, a takeover) and a new one that starts on the same database, each in its own actor
/// system on virtual time, against one that never stopped: the same recorded market (a synthetic tick file, read back
/// so every engine sees the same doubles), one quote at a time, decisions compared line by line as recorded.
/// </summary>
public sealed class WarmStartTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-warmstart-").FullName;
    private readonly string _ticks;
    private readonly Quote[] _market;
    private int _runs;

    public WarmStartTests(ITestOutputHelper output)
    {
        _output = output;
        _ticks = Path.Combine(_folder, "eurusd-ticks.csv");
        // Two ticks a second, 14,400 ticks: about 300 M1 bars (the synthetic market's sessions thin some hours out).
        var options = new SyntheticMarketOptions { Seed = 3, TicksPerSecond = 2, Symbols = [SyntheticSymbol.Majors28.First(s => s.Name == "EURUSD")] };
        SyntheticTickFile.Write(_ticks, options, 14_400);
        using var reader = new TickFileReader(new TickFileOptions { Path = _ticks });
        var quotes = new List<Quote>();
        while (reader.TryRead(out var quote)) quotes.Add(quote);
        _market = [.. quotes];
    }

    /// <summary>The engine's event types with the symbols' bars (registered here too while EngineEvents does not yet include them).</summary>
    private static EventSerializer Serializer()
    {
        var serializer = EngineEvents.Serializer();
        return SymbolBars.IsRegistered(serializer) ? serializer : SymbolBars.Register(serializer);
    }

    private static EngineSettings Live(SymbolWarmStartSettings warmStart, string records) => TestData.Settings(records) with
    {
        Mode = EngineMode.Live,
        Symbols = ["EURUSD"],
        // Short EMAs on M1 bars: a few hours of ticks cross often enough to compare decisions by.
        Decision = new DecisionEngineOptions { Strategy = new() { Timeframe = Timeframe.M1, FastPeriod = 5, SlowPeriod = 13 } },
        WarmStart = warmStart,
    };

    private static readonly SymbolWarmStartSettings FromJournal = new() { Source = WarmStartSource.Journal };

    /// <summary>Index of the first quote of the bar that holds quote <paramref name="near"/>'s successor bar: a bar boundary.</summary>
    private int FirstQuoteOfNextBar(int near)
    {
        var open = Timeframe.M1.BarOpen(_market[near].TimeUtc);
        var i = near;
        while (Timeframe.M1.BarOpen(_market[i].TimeUtc) == open) i++;
        return i;
    }

    private sealed record EngineRun(IReadOnlyList<string> Records, SymbolStatus Status, BarJournalStatus? BarJournal);

    /// <summary>One engine in a fresh actor system on the database: fed the quotes one at a time, flushed, stopped.</summary>
    private async Task<EngineRun> RunAsync(string database, SymbolWarmStartSettings warmStart, ArraySegment<Quote> quotes,
        IWriteFence? fence = null, Func<EngineHost, TestScheduler, Task>? beforeFeeding = null, Func<EngineHost, TestScheduler, Task>? afterFeeding = null)
    {
        var run = Interlocked.Increment(ref _runs);
        var records = Path.Combine(_folder, $"records-{run}.jsonl");
        var store = JournalFactory.Create(new JournalSettings { Provider = JournalProvider.Sqlite, Path = database, WriterId = $"node-{run}", WriteFence = fence }, Serializer());
        await store.InitializeAsync();
        var scheduler = new TestScheduler();
        var system = ActorSystem.Create($"warm-{run}", ActorSystemSettings.Default with { TimeProvider = scheduler, LoggerFactory = new TestLogSink(_output) });
        PersistenceExtension.Install(system, store);
        try
        {
            using var processed = new SemaphoreSlim(0);
            SymbolStatus status;
            BarJournalStatus? journal = null;
            await using (var engine = await EngineHost.StartAsync(system, Live(warmStart, records), observer: new ReleasingObserver(processed)))
            {
                if (beforeFeeding is not null) await beforeFeeding(engine, scheduler);
                foreach (var quote in quotes)
                {
                    engine.PublishLive(quote);
                    Assert.True(await processed.WaitAsync(Wait), "a live quote was not processed");
                }

                await engine.FlushAsync();
                if (afterFeeding is not null) await afterFeeding(engine, scheduler);
                status = await engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus("EURUSD"));
                if (warmStart.Source == WarmStartSource.Journal) journal = await DrainedAsync(system);
            }

            return new EngineRun(File.ReadAllLines(records), status, journal);
        }
        finally
        {
            await system.Terminate();
            await store.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    private static Task<BarJournalStatus> BarJournalStatusAsync(ActorSystem system) =>
        system.ActorSelection("/user/engine/" + BarJournalActor.ActorName).Ask<BarJournalStatus>(GetBarJournalStatus.Instance, Wait);

    /// <summary>Waits (real time: the writes are real database calls) until the bar journal holds nothing.</summary>
    private static async Task<BarJournalStatus> DrainedAsync(ActorSystem system, Action? step = null)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            step?.Invoke();
            var status = await BarJournalStatusAsync(system);
            if (status.Held == 0 || DateTime.UtcNow > deadline) return status;
            await Task.Delay(20);
        }
    }

    private static int ClosedBars(ArraySegment<Quote> quotes) => quotes.Select(q => Timeframe.M1.BarOpen(q.TimeUtc)).Distinct().Count() - 1;

    private static DateTime DecisionTime(string record) =>
        JsonDocument.Parse(record).RootElement.GetProperty("decision_time_utc").GetDateTime();

    [Fact]
    public async Task After_a_stop_a_journal_warm_start_makes_the_decisions_of_an_engine_that_never_stopped_and_a_cold_start_does_not()
    {
        var uninterrupted = await RunAsync(Path.Combine(_folder, "uninterrupted.db"), FromJournal, _market);
        // The old active stops right after the first quote of a bar, which closed (and journaled) the bar before it; the
        // new one starts from that quote, as a feed that hands over its last quote again does: its first quote opens the
        // bar. (A new node whose first quote falls inside a bar builds that one bar only from the quotes it sees.)
        var split = FirstQuoteOfNextBar(_market.Length * 55 / 100);
        var shared = Path.Combine(_folder, "shared.db");
        var before = await RunAsync(shared, FromJournal, new ArraySegment<Quote>(_market, 0, split + 1));
        var after = await RunAsync(shared, FromJournal, new ArraySegment<Quote>(_market, split, _market.Length - split));
        var cold = await RunAsync(Path.Combine(_folder, "cold.db"), SymbolWarmStartSettings.None, new ArraySegment<Quote>(_market, split, _market.Length - split));

        var closedBeforeSplit = ClosedBars(new ArraySegment<Quote>(_market, 0, split + 1));
        Assert.Equal(closedBeforeSplit, before.BarJournal!.Written);
        Assert.Equal(0, before.BarJournal.Dropped);
        var warm = after.Status.WarmStart!;
        Assert.Equal(WarmStartSource.Journal, warm.Source);
        Assert.Equal(closedBeforeSplit, warm.Bars);
        Assert.Equal(Timeframe.M1.BarOpen(_market[0].TimeUtc), warm.FirstBarUtc);
        Assert.Equal(Timeframe.M1.BarOpen(_market[split].TimeUtc).AddMinutes(-1), warm.LastBarUtc);
        Assert.True(warm.Exact);

        var tail = uninterrupted.Records.Where(r => DecisionTime(r) > _market[split].TimeUtc).ToList();
        Assert.NotEmpty(tail);
        Assert.NotEmpty(after.Records);
        Assert.Equal(uninterrupted.Records, [.. before.Records, .. after.Records]);
        Assert.Equal(WarmStartSource.None, cold.Status.WarmStart!.Source);
        Assert.NotEqual(tail, cold.Records);
        _output.WriteLine($"decisions after the stop: uninterrupted {tail.Count}, journal warm start {after.Records.Count}, cold {cold.Records.Count}");
        Assert.NotEmpty(tail.Except(cold.Records));
    }

    [Fact]
    public async Task A_warm_start_from_recorded_data_rebuilds_the_bars_and_the_bar_in_progress_before_the_first_live_quote()
    {
        var uninterrupted = await RunAsync(Path.Combine(_folder, "uninterrupted.db"), FromJournal, _market);
        // Mid-bar, on a new timestamp: the recorded data holds this bar's earlier quotes too.
        var barStart = FirstQuoteOfNextBar(_market.Length * 45 / 100);
        var split = barStart + 40;
        while (_market[split - 1].TimeUtc == _market[split].TimeUtc) split++;
        var fromData = new SymbolWarmStartSettings { Source = WarmStartSource.WarmUpData, WarmUpDataPath = _ticks };

        var started = await RunAsync(Path.Combine(_folder, "data.db"), fromData, new ArraySegment<Quote>(_market, split, _market.Length - split));

        var warm = started.Status.WarmStart!;
        Assert.Equal(WarmStartSource.WarmUpData, warm.Source);
        Assert.Equal(ClosedBars(new ArraySegment<Quote>(_market, 0, split + 1)), warm.Bars);
        Assert.Equal(split - barStart, warm.QuotesOfBarInProgress);
        Assert.True(warm.Exact);
        Assert.Null(warm.Problem);
        var tail = uninterrupted.Records.Where(r => DecisionTime(r) >= _market[split].TimeUtc).ToList();
        Assert.NotEmpty(tail);
        Assert.Equal(tail, started.Records);
    }

    [Fact]
    public async Task A_warm_start_whose_data_cannot_be_read_says_why_and_the_symbol_decides_cold()
    {
        var cold = await RunAsync(Path.Combine(_folder, "cold.db"), SymbolWarmStartSettings.None, _market);
        var data = Path.Combine(_folder, "gone-data");
        Directory.CreateDirectory(data);
        var vanishing = new SymbolWarmStartSettings { Source = WarmStartSource.WarmUpData, WarmUpDataPath = data };

        // The folder is there when the engine starts and gone when the first live quote asks for it (a disk unmounted, say).
        var started = await RunAsync(Path.Combine(_folder, "vanished.db"), vanishing, _market, beforeFeeding: (_, _) =>
        {
            Directory.Delete(data);
            return Task.CompletedTask;
        });

        var warm = started.Status.WarmStart!;
        Assert.Equal(WarmStartSource.WarmUpData, warm.Source);
        Assert.Contains("gone-data", warm.Problem);
        Assert.StartsWith("cold: warm-up-data unreadable", warm.Summary);
        Assert.NotEmpty(started.Records);
        Assert.Equal(cold.Records, started.Records);
    }

    [Fact]
    public async Task An_engine_configured_with_warm_up_data_that_does_not_exist_refuses_to_start_and_says_which()
    {
        var missing = new SymbolWarmStartSettings { Source = WarmStartSource.WarmUpData, WarmUpDataPath = Path.Combine(_folder, "no-such-data") };

        var refused = await Assert.ThrowsAsync<EngineStartException>(() => RunAsync(Path.Combine(_folder, "missing.db"), missing, _market));

        Assert.Contains($"the warm-up data {missing.WarmUpDataPath} does not exist", refused.Message);
    }

    [Fact]
    public async Task While_the_journal_refuses_writes_the_symbol_decides_on_and_its_bars_are_journaled_once_it_is_back()
    {
        var uninterrupted = await RunAsync(Path.Combine(_folder, "uninterrupted.db"), FromJournal, _market);
        var fence = new SwitchableFence();
        var database = Path.Combine(_folder, "outage.db");
        BarJournalStatus? duringOutage = null, afterOutage = null;

        var run = await RunAsync(database, FromJournal, _market, fence,
            beforeFeeding: (_, _) =>
            {
                fence.Open = false;
                return Task.CompletedTask;
            },
            afterFeeding: async (engine, scheduler) =>
            {
                // The first refused write may still be on its way back (a real database call): wait for its answer.
                var deadline = DateTime.UtcNow + Wait;
                duringOutage = await BarJournalStatusAsync(engine.System);
                while (duringOutage.Failures == 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                    duringOutage = await BarJournalStatusAsync(engine.System);
                }

                fence.Open = true;
                // The retry waits on the engine's (virtual) clock; the write itself is a real database call.
                afterOutage = await DrainedAsync(engine.System, () => scheduler.Advance(TimeSpan.FromSeconds(5)));
            });

        Assert.Equal(uninterrupted.Records, run.Records);
        var closed = ClosedBars(_market);
        Assert.True(duringOutage!.Failures >= 1);
        Assert.Equal(0, duringOutage.Written);
        Assert.Equal(closed, duringOutage.Held);
        Assert.Equal(closed, afterOutage!.Written);
        Assert.Equal(0, afterOutage.Dropped);
        await using var store = JournalFactory.Create(new JournalSettings { Provider = JournalProvider.Sqlite, Path = database, WriterId = "reader" }, Serializer());
        Assert.Equal(closed, await store.Journal.ReadHighestSequenceNrAsync(SymbolBars.PersistenceId("EURUSD", Timeframe.M1)));
    }

    /// <summary>A journal outage on demand: closed, every write (bars and the engine's other streams alike) is fenced off.</summary>
    private sealed class SwitchableFence : IWriteFence
    {
        private volatile bool _open = true;

        public bool Open
        {
            get => _open;
            set => _open = value;
        }

        public string SqlPredicate(JournalProvider provider) => "@writer_epoch >= 1";
        public long CurrentEpoch => _open ? 1 : 0;
    }

    private sealed class ReleasingObserver(SemaphoreSlim processed) : ITickObserver
    {
        public void OnQuoteProcessed(long enqueuedTimestamp, DecisionRecord? record) => processed.Release();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
