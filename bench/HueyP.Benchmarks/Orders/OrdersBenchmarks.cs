using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HueyP.Actors;
using HueyP.Domain.Market;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;
using HueyP.Engine;
using HueyP.Engine.Broker;
using HueyP.Engine.Feeds;
using HueyP.Engine.Intents;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Benchmarks.Orders;

/// <summary>
/// `scripts/bench.sh orders [--quick] [--orders N] [--data DIR]`: the order side on a real journal.
/// round_trip: one order at a time, intent → IntentRegistered → order INITIALIZED+SUBMITTED → broker request journaled
/// → matched on a quote → ACCEPTED/FILLED journaled by the order → fill booked by the ledger (and the exit on the next
/// quote through its take-profit or stop-loss); p50/p99 of that chain.
/// sustained: batches of 500 intents (one barrier each, every order through the ledger) — what group commit gives when
/// many orders are in flight (`--in-flight N` batches at once, default 2; `--batch N` intents each, default 500). Both are measured in steady state: unmeasured
/// orders run first until the JIT has settled.
/// replay: the shipped April data through the whole pipeline with orders enabled, next to the decisions-only figure.
/// PostgreSQL too when HUEYP_TEST_PG (or HUEYP_BENCH_PG) is set. Next to the times: the GC pauses and collections that
/// fell into the round trips (a pause stops every thread, so it lands in the tail), and the whole process's CPU time and
/// allocation per sustained order. `--only NAME` (repeatable) runs one part: sqlite_normal, sqlite_full, postgresql, replay.
/// </summary>
public static class OrdersBenchmarks
{
    private static readonly DateTime Start = new(2025, 4, 1, 8, 0, 0, DateTimeKind.Utc);

    public static async Task<JsonObject> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        InFlight = Math.Max(2, (int)Read(args, "--in-flight", 2));
        Batch = Math.Max(1, (int)Read(args, "--batch", 500));
        if (Read(args, "--passivate-finished-ms", -1) is var passivateMs and >= 0) PassivateFinishedAfter = TimeSpan.FromMilliseconds(passivateMs);
        var roundTrips = (int)Read(args, "--orders", quick ? 300 : 2_000);
        var sustained = (int)Read(args, "--sustained", quick ? 2_000 : 100_000);
        var only = args.Select((a, i) => (a, i)).Where(p => p.a == "--only" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToHashSet(StringComparer.Ordinal);
        bool Wanted(string part) => only.Count == 0 || only.Contains(part);
        var root = Path.Combine("/tmp", $"hueyp-obench-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        var result = new JsonObject { ["benchmark"] = "orders", ["quick"] = quick, ["round_trip_orders"] = roundTrips, ["sustained_orders"] = sustained };
        try
        {
            if (Wanted("sqlite_normal"))
                result["sqlite_normal"] = await RunDatabaseAsync(new JournalSettings { Path = Path.Combine(root, "normal.db"), WriterId = "bench" }, roundTrips, sustained);
            if (Wanted("sqlite_full"))
                result["sqlite_full"] = await RunDatabaseAsync(new JournalSettings { Path = Path.Combine(root, "full.db"), Synchronous = SqliteSynchronous.Full, WriterId = "bench" }, roundTrips, sustained);
            var pg = Environment.GetEnvironmentVariable("HUEYP_BENCH_PG") is { Length: > 0 } b ? b : Environment.GetEnvironmentVariable("HUEYP_TEST_PG");
            if (Wanted("postgresql"))
                result["postgresql"] = pg is { Length: > 0 }
                    ? await RunDatabaseAsync(new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = pg, Schema = $"obench_{Environment.ProcessId}", WriterId = "bench" }, roundTrips, sustained)
                    : new JsonObject { ["skipped"] = "set HUEYP_TEST_PG (or HUEYP_BENCH_PG) to a connection string" };
            if (Wanted("replay")) result["replay"] = await ReplayAsync(args, root, quick);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
        return result;
    }

    private static async Task<JsonObject> RunDatabaseAsync(JournalSettings journal, int roundTrips, int sustained)
    {
        Console.Error.WriteLine($"orders: {journal.Provider} {journal.Synchronous}");
        var system = ActorSystem.Create("obench");
        await using var store = JournalFactory.Create(journal, HueyP.Engine.EngineEvents.Serializer());
        try
        {
            await store.InitializeAsync();
            PersistenceExtension.Install(system, store);
            var side = new OrderSide(new OrderSideSettings
            {
                Broker = OrderSideSettings.PaperFx(["EURUSD"]).Broker,
                Ledger = new LedgerSettings { OpeningBalance = 10_000_000m },
                // The bench measures the pipeline, not the throttles: limits far above what it sends.
                Intake = new OrderIntakeSettings { PreTrade = PreTradeOptions.Default with { MaxOrdersPerMinute = 1_000_000, MaxOrdersPerMinutePerSymbol = 1_000_000 } },
            });
            if (PassivateFinishedAfter is { } passivate) side = new OrderSide(side.Settings with { PassivateFinishedAfter = passivate });
            var host = system.ActorOf(Props.Create(() => new HostActor(side)), "engine");
            await host.Ask<string>("ready", TimeSpan.FromSeconds(30));
            await side.Ledger.Ask<LedgerView>(GetLedgerState.Instance, TimeSpan.FromSeconds(30));

            var n = 0;
            var batch = Batch;
            // Warm-up, not measured, until the JIT has settled: batches first (they reach every method the round trips
            // use), then round trips.
            var warmup = Stopwatch.StartNew();
            var warmupOrders = 0;
            await JitWarmup.UntilSettledAsync(TimeSpan.FromSeconds(10), async () =>
            {
                for (var i = 0; i < batch; i++) side.Sink.Submit(Intent(n + i), null!);
                await BarrierAsync(side, Start.AddSeconds(n + batch), batch);
                n += batch;
                warmupOrders += batch;
            });
            await JitWarmup.UntilSettledAsync(TimeSpan.FromSeconds(1), async () =>
            {
                for (var i = 0; i < 50; i++) await RoundTripAsync(side, n++);
                warmupOrders += 50;
            });
            warmup.Stop();
            var latencies = new double[roundTrips];
            var roundTripPause0 = GC.GetTotalPauseDuration();
            var roundTripGcs0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            for (var i = 0; i < roundTrips; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await RoundTripAsync(side, n++);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            Array.Sort(latencies);
            var roundTripPause = GC.GetTotalPauseDuration() - roundTripPause0;
            var roundTripGcs = $"{GC.CollectionCount(0) - roundTripGcs0.Item1}/{GC.CollectionCount(1) - roundTripGcs0.Item2}/{GC.CollectionCount(2) - roundTripGcs0.Item3}";

            // CPU and allocations of the whole process per sustained order (journal writer and thread pool included).
            var cpu0 = Environment.CpuUsage.TotalTime;
            var allocated0 = GC.GetTotalAllocatedBytes(precise: true);
            var gcs0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var pause0 = GC.GetTotalPauseDuration();
            var sw = Stopwatch.StartNew();
            // Two batches in flight, as a steady flow keeps every stage busy: the next batch's intents go through the
            // intake and are journaled while the broker fills the previous one and its orders and the ledger book it.
            var filling = new Queue<Task>();
            for (var done = 0; done < sustained; done += batch)
            {
                var count = Math.Min(batch, sustained - done);
                for (var i = 0; i < count; i++) side.Sink.Submit(Intent(n + i), null!);
                await FlushAsync(side, count);
                while (filling.Count >= InFlight - 1) await filling.Dequeue();
                filling.Enqueue(FillAndBookAsync(side, Start.AddSeconds(n + count)));
                n += count;
            }
            while (filling.Count > 0) await filling.Dequeue();
            sw.Stop();
            var cpu = Environment.CpuUsage.TotalTime - cpu0;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated0;
            var collections = $"{GC.CollectionCount(0) - gcs0.Item1}/{GC.CollectionCount(1) - gcs0.Item2}/{GC.CollectionCount(2) - gcs0.Item3}";
            var pause = GC.GetTotalPauseDuration() - pause0;
            // What stays reachable after every order has finished: per-order memory that is never released shows here.
            var retainedMb = GC.GetTotalMemory(forceFullCollection: true) / 1e6;
            return new JsonObject
            {
                ["warmup_orders"] = warmupOrders,
                ["warmup_s"] = Math.Round(warmup.Elapsed.TotalSeconds, 1),
                ["round_trip_p50_ms"] = Math.Round(latencies[latencies.Length / 2], 3),
                ["round_trip_p99_ms"] = Math.Round(latencies[(int)(latencies.Length * 0.99)], 3),
                ["round_trip_max_ms"] = Math.Round(latencies[^1], 3),
                // What the garbage collector took of the round trips: its pauses stop every thread, so they land in the tail.
                ["round_trip_gc_pause_ms"] = Math.Round(roundTripPause.TotalMilliseconds, 1),
                ["round_trip_gc_gen0_gen1_gen2"] = roundTripGcs,
                ["sustained_orders_per_s"] = Math.Round(sustained / sw.Elapsed.TotalSeconds),
                ["sustained_batch"] = batch,
                ["sustained_cpu_ms_per_order"] = Math.Round(cpu.TotalMilliseconds / sustained, 3),
                ["sustained_allocated_kb_per_order"] = Math.Round(allocated / 1024.0 / sustained, 1),
                ["sustained_gc_gen0_gen1_gen2"] = collections,
                ["sustained_gc_pause_ms"] = Math.Round(pause.TotalMilliseconds, 1),
                ["retained_mb_after"] = Math.Round(retainedMb, 1),
            };
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>One order end to end: intent in, fill booked by the ledger.</summary>
    private static Task RoundTripAsync(OrderSide side, int i)
    {
        side.Sink.Submit(Intent(i), null!);
        return BarrierAsync(side, Start.AddSeconds(i + 1), 1);
    }

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Sustained batches in flight at once (one being decided, the others at the broker and the ledger).</summary>
    private static int InFlight = 2;

    /// <summary>How long a finished order's entity stays in memory (`--passivate-finished-ms`; the node's default otherwise).</summary>
    private static TimeSpan? PassivateFinishedAfter;

    /// <summary>Intents per sustained batch (one flush and one broker step each).</summary>
    private static int Batch = 500;

    private static async Task BarrierAsync(OrderSide side, DateTime quoteTime, int expected)
    {
        await FlushAsync(side, expected);
        await FillAndBookAsync(side, quoteTime);
    }

    /// <summary>The intake decides the submitted intents; it answers once every new order is journaled and sent to the broker.</summary>
    private static async Task FlushAsync(OrderSide side, int expected)
    {
        var flushed = await side.Intake.Ask<IntentsFlushed>(FlushIntents.Instance, Timeout);
        if (flushed.Outcomes.Count(o => o.Kind == IntentOutcomeKind.Submitted) != expected)
            throw new InvalidOperationException($"expected {expected} submitted, got {string.Join(", ", flushed.Outcomes.Select(o => $"{o.Kind} {o.ReasonCode} {o.Detail}"))}");
    }

    private static async Task FillAndBookAsync(OrderSide side, DateTime quoteTime)
    {
        var timeout = Timeout;
        // The quote after the decisions: the broker fills everything on it, orders and ledger journal the reports.
        // A second quote through every take-profit/stop-loss closes what was opened, so the broker's book stays small
        // (the domain's paper broker scans its working orders linearly).
        var processed = await side.Broker.Ask<BrokerSliceProcessed>(new ProcessBrokerSlice(
            [new Quote("EURUSD", quoteTime, 1.0799, 1.0801), new Quote("EURUSD", quoteTime.AddMilliseconds(1), 1.0910, 1.0912)]), timeout);
        await side.Orders.AskAll<OrderStateReply>(processed.TouchedOrders.Select(id => (object)new GetOrderState(id)).ToList(), timeout);
        await side.Ledger.Ask<LedgerView>(GetLedgerState.Instance, timeout);
    }

    private static OrderIntent Intent(int i)
    {
        var buy = i % 2 == 0;
        var decision = Start.AddSeconds(i).AddMilliseconds(500);
        // Strategy and bar vary so ids (9999 per strategy, symbol) and duplicate-shape checks never run out.
        return new OrderIntent($"BENCH{i / 9000}", "EURUSD", buy ? Side.Buy : Side.Sell, 0.01m, OrderType.Market,
            Start.AddMinutes(i), decision, 1.08, null, buy ? 1.07 : 1.09, buy ? 1.09 : 1.07, 1, "bench");
    }

    private static async Task<JsonObject> ReplayAsync(string[] args, string root, bool quick)
    {
        var data = Read(args, "--data") ?? "data/fx";
        if (!Directory.Exists(data)) return new JsonObject { ["skipped"] = $"no data at {data} (run from the repository root or pass --data DIR)" };
        Console.Error.WriteLine("orders: replay with orders");
        var sources = ReplaySourceFinder.Find([data]);
        var settings = new EngineSettings { Symbols = sources.Symbols, ConstraintsPath = File.Exists("data/constraints.json") ? "data/constraints.json" : null };
        var window = quick ? new ReplayWindow(new DateTime(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2025, 4, 8, 0, 0, 0, DateTimeKind.Utc)) : null;
        var withOrders = await OrderedReplay.RunAsync(settings, OrderSideSettings.PaperFx(settings.Symbols),
            new JournalSettings { Path = Path.Combine(root, "replay.db"), WriterId = "bench" }, sources.Feed, window, systemName: "obench-replay");
        Console.Error.WriteLine("orders: replay without orders");
        var system = ActorSystem.Create("obench-plain");
        ReplayResult plain;
        try
        {
            await using var host = await EngineHost.StartAsync(system, settings);
            plain = await host.RunReplayAsync(ReplaySourceFinder.Find([data]).Feed, window);
        }
        finally
        {
            await system.Terminate();
        }
        return new JsonObject
        {
            ["ticks"] = withOrders.Replay.Quotes,
            ["slices"] = withOrders.Replay.Slices,
            ["orders"] = withOrders.Orders.Orders,
            ["fills"] = withOrders.Orders.Fills,
            ["ticks_per_s_with_orders"] = Math.Round(withOrders.Replay.QuotesPerSecond),
            ["ticks_per_s_decisions_only"] = Math.Round(plain.QuotesPerSecond),
            ["elapsed_s_with_orders"] = Math.Round(withOrders.Replay.Elapsed.TotalSeconds, 3),
            ["state_hash"] = withOrders.Orders.StateHash,
        };
    }

    private static double Read(string[] args, string name, double fallback) =>
        Read(args, name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? Read(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Stands in for /user/engine so the order side's actors have their usual names.</summary>
    private sealed class HostActor : ReceiveActor
    {
        public HostActor(OrderSide side)
        {
            side.Start(Context);
            Receive<string>(_ => Sender.Tell("ready"));
        }
    }
}
