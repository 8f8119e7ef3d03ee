using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HueyP.Actors;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Engine;
using HueyP.Engine.Feeds;
using HueyP.Engine.Symbols;
using HueyP.MarketData.Feeds;
using HueyP.MarketData.Synthetic;

namespace HueyP.Benchmarks.Pipeline;

/// <summary>
/// `scripts/bench.sh pipeline [--data data/fx] [--ticks 5000000] [--rate 10000] [--seconds 10]`: the tick-to-decision
/// pipeline as actors. Replay throughput on the shipped EURUSD tick file and on a 28-symbol synthetic tick file
/// (written to /tmp and deleted after), next to the bare reader's speed on the same file (the ceiling); then
/// tick-to-decision latency in live mode at a sustained paced rate across 28 symbols, measured from the quote's
/// hand-over to the engine (PublishLive) to the end of the symbol's processing (decision record and intent emitted).
/// Targets: replay ≥ 1M ticks/s, p99 ≤ 200 µs.
/// </summary>
public static class PipelineBenchmarks
{
    public static async Task<JsonObject> RunAsync(string[] args)
    {
        var data = ReadOption(args, "--data", "data/fx");
        var syntheticTicks = (long)ReadNumber(args, "--ticks", 5_000_000);
        var rate = ReadNumber(args, "--rate", 10_000);
        var seconds = ReadNumber(args, "--seconds", 10);
        var majors = SyntheticSymbol.Majors28.Select(s => s.Name).ToList();

        var result = new JsonObject();
        var tickFile = Path.Combine(data, "EURUSD_ticks_2020-01-30.csv.gz");
        Progress($"replay {tickFile} (warm-up + 5 runs)");
        var sources = ReplaySourceFinder.Find([tickFile]);
        await ReplayAsync(sources.Feed, ["EURUSD"]);
        var runs = new List<ReplayResult>();
        for (var i = 0; i < 5; i++) runs.Add(await ReplayAsync(sources.Feed, ["EURUSD"]));
        result["replay_eurusd_ticks"] = Describe(runs, ReaderOnly(sources.Feed));

        var path = Path.Combine(Path.GetTempPath(), $"hueyp-bench-{Guid.NewGuid():N}.csv");
        try
        {
            Progress($"writing {syntheticTicks:N0} synthetic ticks of 28 symbols to {path}");
            SyntheticTickFile.Write(path, new SyntheticMarketOptions { Seed = 42 }, syntheticTicks);
            var synthetic = ReplaySourceFinder.Find([path]);
            Progress("replay synthetic (2 runs)");
            var syntheticRuns = new List<ReplayResult> { await ReplayAsync(synthetic.Feed, majors), await ReplayAsync(synthetic.Feed, majors) };
            result["replay_synthetic_28"] = Describe(syntheticRuns, ReaderOnly(synthetic.Feed));
        }
        finally
        {
            File.Delete(path);
        }

        Progress($"live latency: {rate:N0} ticks/s across 28 symbols for {seconds} s");
        result["live_latency"] = await LiveLatencyAsync(majors, rate, TimeSpan.FromSeconds(seconds));
        result["targets"] = new JsonObject { ["replay_ticks_per_s"] = 1_000_000, ["p99_us"] = 200 };
        return result;
    }

    private static async Task<ReplayResult> ReplayAsync(IReplayableFeed feed, IReadOnlyList<string> symbols)
    {
        using var system = ActorSystem.Create("bench-replay", new ActorSystemSettings { LogDeadLetters = false });
        await using var engine = await EngineHost.StartAsync(system, new EngineSettings { Symbols = symbols, ConstraintsPath = ConstraintsFile() });
        return await engine.RunReplayAsync(feed);
    }

    /// <summary>The reader alone on the same data: what any pipeline over this file could at most reach here.</summary>
    private static double ReaderOnly(IReplayableFeed feed)
    {
        var stopwatch = Stopwatch.StartNew();
        long count = 0;
        using (var reader = feed.OpenReader())
            while (reader.TryRead(out _)) count++;
        return count / stopwatch.Elapsed.TotalSeconds;
    }

    private static JsonObject Describe(List<ReplayResult> runs, double readerOnly)
    {
        var rates = runs.Select(r => r.QuotesPerSecond).Order().ToList();
        return new JsonObject
        {
            ["ticks"] = runs[0].Quotes,
            ["signals"] = runs[0].Records.Signals,
            ["intents"] = runs[0].Records.Intents,
            ["same_hash_every_run"] = runs.All(r => r.Records.Hash == runs[0].Records.Hash),
            ["ticks_per_s_median"] = Math.Round(rates[rates.Count / 2]),
            ["ticks_per_s_best"] = Math.Round(rates[^1]),
            ["reader_only_ticks_per_s"] = Math.Round(readerOnly),
            ["elapsed_s_median"] = Math.Round(runs.Select(r => r.Elapsed.TotalSeconds).Order().ElementAt(runs.Count / 2), 3),
        };
    }

    private static async Task<JsonObject> LiveLatencyAsync(IReadOnlyList<string> symbols, double rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var quotes = new Quote[total];
        using (var reader = new SyntheticQuoteReader(new SyntheticMarketOptions { Seed = 7, MaxQuotes = total }))
            for (var i = 0; i < total && reader.TryRead(out var quote); i++) quotes[i] = quote;

        var observer = new LatencyObserver(total);
        using var system = ActorSystem.Create("bench-live", new ActorSystemSettings { LogDeadLetters = false });
        await using var engine = await EngineHost.StartAsync(system,
            new EngineSettings
            {
                Mode = EngineMode.Live, Symbols = symbols, ConstraintsPath = ConstraintsFile(),
                // M1 bars: the synthetic market covers minutes, not hours, in a 10 s run; M1 still gives it decisions to time.
                Decision = new DecisionEngineOptions { Strategy = new() { Timeframe = Domain.Bars.Timeframe.M1 } },
            }, observer: observer);

        // Warm-up (JIT, first bars) before measuring.
        for (var i = 0; i < Math.Min(20_000, total); i++) engine.PublishLive(quotes[i]);
        await WaitUntilAsync(() => observer.Count >= Math.Min(20_000, total) - Conflated(engine));
        observer.Reset();
        var conflatedBefore = Conflated(engine);

        // Paced by a 1 ms timer: each tick publishes the quotes due by then, so the rate holds without a spinning thread.
        var stopwatch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1));
        var published = 0;
        while (published < total && await timer.WaitForNextTickAsync())
        {
            var due = Math.Min(total, (int)(stopwatch.Elapsed.TotalSeconds * rate));
            for (; published < due; published++) engine.PublishLive(quotes[published]);
        }

        var achieved = published / stopwatch.Elapsed.TotalSeconds;
        await WaitUntilAsync(() => observer.Count + Conflated(engine) - conflatedBefore >= published);
        var latencies = observer.Snapshot();
        Array.Sort(latencies);
        var recordLatencies = observer.RecordSnapshot();
        Array.Sort(recordLatencies);
        return new JsonObject
        {
            ["symbols"] = symbols.Count,
            ["target_rate"] = rate,
            ["achieved_rate"] = Math.Round(achieved),
            ["ticks_measured"] = latencies.Length,
            ["conflated"] = Conflated(engine) - conflatedBefore,
            ["p50_us"] = Percentile(latencies, 0.50),
            ["p99_us"] = Percentile(latencies, 0.99),
            ["p999_us"] = Percentile(latencies, 0.999),
            ["max_us"] = Percentile(latencies, 1.0),
            ["decisions_measured"] = recordLatencies.Length,
            ["decision_p50_us"] = Percentile(recordLatencies, 0.50),
            ["decision_max_us"] = Percentile(recordLatencies, 1.0),
        };
    }

    private static long Conflated(EngineHost engine) =>
        engine.Refs.LiveRouter.Ask<LiveStats>(GetLiveStats.Instance).GetAwaiter().GetResult().Conflated;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition() && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10);
    }

    private static double? Percentile(long[] sortedTicks, double p)
    {
        if (sortedTicks.Length == 0) return null;
        var index = Math.Min(sortedTicks.Length - 1, (int)Math.Ceiling(p * sortedTicks.Length) - 1);
        return Math.Round(sortedTicks[Math.Max(0, index)] * 1e6 / Stopwatch.Frequency, 1);
    }

    private sealed class LatencyObserver(int capacity) : ITickObserver
    {
        private readonly long[] _latencies = new long[capacity + 1_000_000];
        private readonly long[] _recordLatencies = new long[100_000];
        private int _count, _records;

        public int Count => Volatile.Read(ref _count);

        public void OnQuoteProcessed(long enqueuedTimestamp, DecisionRecord? record)
        {
            var latency = Stopwatch.GetTimestamp() - enqueuedTimestamp;
            var index = Interlocked.Increment(ref _count) - 1;
            if (index < _latencies.Length) _latencies[index] = latency;
            if (record is null) return;
            var recordIndex = Interlocked.Increment(ref _records) - 1;
            if (recordIndex < _recordLatencies.Length) _recordLatencies[recordIndex] = latency;
        }

        public void Reset()
        {
            Volatile.Write(ref _count, 0);
            Volatile.Write(ref _records, 0);
        }

        public long[] Snapshot() => _latencies[..Math.Min(Count, _latencies.Length)];

        public long[] RecordSnapshot() => _recordLatencies[..Math.Min(Volatile.Read(ref _records), _recordLatencies.Length)];
    }

    private static string? ConstraintsFile() => File.Exists("data/constraints.json") ? "data/constraints.json" : null;

    private static string ReadOption(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static double ReadNumber(string[] args, string name, double fallback) =>
        double.Parse(ReadOption(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    private static void Progress(string message) => Console.Error.WriteLine($"[pipeline] {message}");
}
