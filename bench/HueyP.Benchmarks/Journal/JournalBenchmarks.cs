using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HueyP.Actors;
using HueyP.Persistence;
using HueyP.Persistence.Journal;
using HueyP.Persistence.PersistentActors;
using Npgsql;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Benchmarks.Journal;

/// <summary>
/// `scripts/bench.sh journal [--quick] [--seconds S] [--reps N] [--db sqlite-normal,sqlite-full,postgresql]`:
/// the journal and persistent actors on SQLite (synchronous NORMAL and FULL, files under /tmp) and PostgreSQL
/// (HUEYP_BENCH_PG or HUEYP_TEST_PG), next to a raw ADO.NET batched-insert loop measured in the same run on the same
/// database as the write ceiling. Write figures are medians of --reps runs of --seconds each.
/// Akka.Persistence.Sql on this machine kind: sequential Persist 230–400 events/s, PersistAll 12k–28k events/s,
/// recovery 57k–115k events/s.
/// </summary>
public static class JournalBenchmarks
{
    public static async Task<JsonObject> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var options = new Options(
            Seconds: ReadOption(args, "--seconds", quick ? 1.0 : 2.0),
            Reps: (int)ReadOption(args, "--reps", quick ? 1 : 3),
            SingleActorEvents: (long)ReadOption(args, "--recovery-events", quick ? 200_000 : 1_000_000),
            RecoveryActors: (int)ReadOption(args, "--recovery-actors", quick ? 2_000 : 10_000),
            EventsPerActor: 100,
            Concurrency: 100,
            BatchSize: 100);
        var selected = (ReadString(args, "--db") ?? "sqlite-normal,sqlite-full,postgresql").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var root = Path.Combine("/tmp", $"hueyp-jbench-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        var result = new JsonObject
        {
            ["benchmark"] = "journal",
            ["quick"] = quick,
            ["seconds_per_write_run"] = options.Seconds,
            ["reps"] = options.Reps,
            ["recovery_single_actor_events"] = options.SingleActorEvents,
            ["recovery_many_actors"] = $"{options.RecoveryActors} x {options.EventsPerActor}",
            ["note"] = "events/s; write figures are medians of reps; ratio_to_raw = figure / raw 100-row-per-transaction ceiling on the same database in this run",
        };
        try
        {
            if (selected.Contains("sqlite-normal"))
            {
                result["sqlite_normal"] = await RunDatabaseAsync("sqlite NORMAL",
                    new JournalSettings { Path = Path.Combine(root, "normal.db"), Synchronous = SqliteSynchronous.Normal, WriterId = "bench" },
                    options, recovery: true);
            }

            if (selected.Contains("sqlite-full"))
            {
                result["sqlite_full"] = await RunDatabaseAsync("sqlite FULL",
                    new JournalSettings { Path = Path.Combine(root, "full.db"), Synchronous = SqliteSynchronous.Full, WriterId = "bench" },
                    options, recovery: false);
                result["sqlite_full"]!["recovery"] = "not measured: synchronous only changes commits; see sqlite_normal";
            }

            if (selected.Contains("postgresql"))
            {
                var pg = Environment.GetEnvironmentVariable("HUEYP_BENCH_PG") is { Length: > 0 } bench ? bench : Environment.GetEnvironmentVariable("HUEYP_TEST_PG");
                if (string.IsNullOrWhiteSpace(pg))
                {
                    result["postgresql"] = new JsonObject { ["skipped"] = "set HUEYP_BENCH_PG (or HUEYP_TEST_PG) to a connection string, e.g. from scripts/pg.sh start DIR" };
                }
                else
                {
                    var schema = $"jbench_{Environment.ProcessId}";
                    try
                    {
                        result["postgresql"] = await RunDatabaseAsync("postgresql",
                            new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = pg, Schema = schema, WriterId = "bench" },
                            options, recovery: true);
                        result["postgresql"]!["server_version"] = await ServerVersionAsync(pg);
                    }
                    finally
                    {
                        await DropSchemaAsync(pg, schema);
                    }
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }

        result["targets"] = new JsonObject
        {
            ["persist_all_ratio_to_raw"] = ">= 0.9",
            ["sqlite_normal_sequential_p99_ms"] = "<= 1",
            ["recovery_sqlite_events_per_s"] = ">= 500000",
            ["recovery_postgresql_events_per_s"] = ">= 150000",
        };
        result["akka_persistence_sql_same_machine_kind"] = new JsonObject
        {
            ["sequential_persist_per_s"] = "230-400", ["persist_all_per_s"] = "12000-28000", ["recovery_per_s"] = "57000-115000",
        };
        return result;
    }

    private sealed record Options(double Seconds, int Reps, long SingleActorEvents, int RecoveryActors, int EventsPerActor, int Concurrency, int BatchSize)
    {
        public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);
    }

    private static async Task<JsonObject> RunDatabaseAsync(string name, JournalSettings settings, Options options, bool recovery)
    {
        var output = new JsonObject();
        await using var store = JournalFactory.Create(settings, BenchSerializer.Create());
        await store.InitializeAsync();

        Progress($"{name}: raw ADO.NET ceiling");
        await using (var raw = settings.Provider == JournalProvider.Sqlite
                         ? await RawCeiling.OpenSqliteAsync(settings.Path!, settings.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")
                         : await RawCeiling.OpenPostgresAsync(settings.ConnectionString!, settings.Schema))
        {
            await raw.MeasureAsync(options.BatchSize, TimeSpan.FromSeconds(0.3));
            var batched = await MedianAsync(options.Reps, () => raw.MeasureAsync(options.BatchSize, options.Duration));
            var single = await MedianAsync(options.Reps, () => raw.MeasureAsync(1, options.Duration / 2));
            output["raw_100_rows_per_tx_per_s"] = Math.Round(batched);
            output["raw_1_row_per_tx_per_s"] = Math.Round(single);
        }

        var ceiling = (double)output["raw_100_rows_per_tx_per_s"]!;

        // The journal API without actors, to tell the journal's cost from the actor's.
        Progress($"{name}: journal WriteMessagesAsync, 100-event atomic writes, no actor");
        await JournalWriteAsync(store, "journal-direct", 100, TimeSpan.FromSeconds(0.3));
        var journalRuns = new List<double>();
        for (var r = 0; r < options.Reps; r++) journalRuns.Add(await JournalWriteAsync(store, $"journal-direct-{r}", 100, options.Duration));
        output["journal_api_write_100"] = WriteFigure(journalRuns, ceiling);
        var system = ActorSystem.Create("jbench");
        try
        {
            PersistenceExtension.Install(system, store);
            var actorCount = 0;
            IActorRef Spawn(string pid, Action<long>? onRecovered = null) =>
                system.ActorOf(Props.Create((Func<BenchActor>)(() => new BenchActor(pid, onRecovered))), $"a{actorCount++}");

            Progress($"{name}: sequential Persist");
            var sequentialActor = Spawn("seq");
            await SequentialAsync(sequentialActor, TimeSpan.FromSeconds(0.3));
            var sequentialRuns = new List<(double Rate, double P50, double P99)>();
            for (var r = 0; r < options.Reps; r++) sequentialRuns.Add(await SequentialAsync(sequentialActor, options.Duration));
            var sequentialRate = Median(sequentialRuns.Select(s => s.Rate));
            output["sequential_persist"] = new JsonObject
            {
                ["events_per_s"] = Math.Round(sequentialRate),
                ["p50_ms"] = Math.Round(Median(sequentialRuns.Select(s => s.P50)), 3),
                ["p99_ms"] = Math.Round(Median(sequentialRuns.Select(s => s.P99)), 3),
                ["ratio_to_raw"] = Ratio(sequentialRate, ceiling),
                ["runs_events_per_s"] = new JsonArray(sequentialRuns.Select(s => (JsonNode)Math.Round(s.Rate)).ToArray()),
            };

            Progress($"{name}: PersistAll batches of {options.BatchSize}");
            var batchActor = Spawn("batch");
            await PersistAllAsync(batchActor, options.BatchSize, TimeSpan.FromSeconds(0.3));
            var batchRuns = new List<double>();
            for (var r = 0; r < options.Reps; r++) batchRuns.Add(await PersistAllAsync(batchActor, options.BatchSize, options.Duration));
            output["persist_all_100"] = WriteFigure(batchRuns, ceiling);

            Progress($"{name}: {options.Concurrency} concurrent persisting actors");
            var concurrentActors = Enumerable.Range(0, options.Concurrency).Select(i => Spawn($"conc-{i}")).ToArray();
            await ConcurrentAsync(concurrentActors, TimeSpan.FromSeconds(0.3));
            var concurrentRuns = new List<double>();
            for (var r = 0; r < options.Reps; r++) concurrentRuns.Add(await ConcurrentAsync(concurrentActors, options.Duration));
            output["concurrent_100_actors"] = WriteFigure(concurrentRuns, ceiling);

            if (recovery)
            {
                output["recovery"] = await RecoveryAsync(name, store, options, Spawn);
            }
        }
        finally
        {
            await system.Terminate();
        }

        output["load_average_1m_after"] = LoadAverage();
        return output;
    }

    private static JsonObject WriteFigure(List<double> runs, double ceiling)
    {
        var median = Median(runs);
        return new JsonObject
        {
            ["events_per_s"] = Math.Round(median),
            ["ratio_to_raw"] = Ratio(median, ceiling),
            ["runs_events_per_s"] = new JsonArray(runs.Select(r => (JsonNode)Math.Round(r)).ToArray()),
        };
    }

    private static async Task<double> JournalWriteAsync(PersistenceStore store, string pid, int batchSize, TimeSpan duration)
    {
        var serialized = store.Encode(new BenchEvent(12345));
        long sequenceNr = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            var reprs = new PersistentRepr[batchSize];
            for (var i = 0; i < batchSize; i++) reprs[i] = new PersistentRepr(serialized, pid, ++sequenceNr);
            await store.Journal.WriteMessagesAsync([new AtomicWrite(reprs)]);
        }
        return sequenceNr / sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> JournalReplayAsync(PersistenceStore store, string pid)
    {
        long count = 0;
        var sw = Stopwatch.StartNew();
        await store.Journal.ReplayMessagesAsync(pid, 1, long.MaxValue, long.MaxValue, _ => count++);
        return count / sw.Elapsed.TotalSeconds;
    }

    private static async Task<(double Rate, double P50, double P99)> SequentialAsync(IActorRef actor, TimeSpan duration)
    {
        var latencies = new List<long>(100_000);
        var sw = Stopwatch.StartNew();
        long n = 0;
        while (sw.Elapsed < duration)
        {
            var command = new PersistOne(n++);
            var sent = Stopwatch.GetTimestamp();
            actor.Tell(command, ActorRefs.NoSender);
            var ran = await command.Done.Task;
            latencies.Add(ran - sent);
        }
        var elapsed = sw.Elapsed.TotalSeconds;
        latencies.Sort();
        double Ms(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))] * 1000.0 / Stopwatch.Frequency;
        return (latencies.Count / elapsed, Ms(0.5), Ms(0.99));
    }

    private static async Task<double> PersistAllAsync(IActorRef actor, int batchSize, TimeSpan duration)
    {
        var sw = Stopwatch.StartNew();
        long events = 0;
        while (sw.Elapsed < duration)
        {
            var command = new PersistBatch(batchSize);
            actor.Tell(command, ActorRefs.NoSender);
            await command.Done.Task;
            events += batchSize;
        }
        return events / sw.Elapsed.TotalSeconds;
    }

    private static async Task<double> ConcurrentAsync(IActorRef[] actors, TimeSpan duration)
    {
        long events = 0;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(actors.Select(async actor =>
        {
            long n = 0;
            while (sw.Elapsed < duration)
            {
                var command = new PersistOne(n++);
                actor.Tell(command, ActorRefs.NoSender);
                await command.Done.Task;
                Interlocked.Increment(ref events);
            }
        }));
        return events / sw.Elapsed.TotalSeconds;
    }

    private static async Task<JsonObject> RecoveryAsync(string name, PersistenceStore store, Options options, Func<string, Action<long>?, IActorRef> spawn)
    {
        var serialized = store.Encode(new BenchEvent(12345));
        var setup = Stopwatch.StartNew();
        Progress($"{name}: writing {options.SingleActorEvents:N0} events for one actor (raw journal)");
        await WriteHistoryAsync(store, ["rec-single"], options.SingleActorEvents, serialized);
        var singleSetup = setup.Elapsed.TotalSeconds;
        setup.Restart();
        Progress($"{name}: writing {options.RecoveryActors:N0} x {options.EventsPerActor} events (raw journal)");
        var pids = Enumerable.Range(0, options.RecoveryActors).Select(i => $"rec-many-{i}").ToArray();
        await WriteHistoryAsync(store, pids, options.EventsPerActor, serialized);
        var manySetup = setup.Elapsed.TotalSeconds;
        var setupRate = (options.SingleActorEvents + (double)options.RecoveryActors * options.EventsPerActor) / (singleSetup + manySetup);

        // A restarting node finds its history settled, not just bulk-written: the SQLite WAL checkpointed into the
        // database file, PostgreSQL's rows vacuumed (hint bits and visibility map set, as autovacuum would).
        Progress($"{name}: settling the written history (SQLite checkpoint / PostgreSQL VACUUM ANALYZE)");
        await SettleAsync(store.Settings);

        Progress($"{name}: journal replay of {options.SingleActorEvents:N0} events, no actor");
        var journalReplay = new List<double>();
        for (var r = 0; r < Math.Max(1, Math.Min(options.Reps, 2)); r++) journalReplay.Add(await JournalReplayAsync(store, "rec-single"));

        Progress($"{name}: raw ADO.NET read of the same rows, no decoding");
        var rawRead = new List<double>();
        for (var r = 0; r < Math.Max(1, Math.Min(options.Reps, 2)); r++) rawRead.Add(await RawReadAsync(store.Settings, "rec-single"));

        Progress($"{name}: recovering one actor with {options.SingleActorEvents:N0} events");
        var singleRuns = new List<double>();
        for (var r = 0; r < Math.Max(1, Math.Min(options.Reps, 2)); r++)
        {
            var recovered = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var sw = Stopwatch.StartNew();
            var actor = spawn("rec-single", count => recovered.TrySetResult(count));
            var count = await recovered.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var elapsed = sw.Elapsed.TotalSeconds;
            if (count != options.SingleActorEvents) throw new InvalidOperationException($"replayed {count}, expected {options.SingleActorEvents}");
            singleRuns.Add(count / elapsed);
            actor.Tell(PoisonPill.Instance, ActorRefs.NoSender);
        }

        Progress($"{name}: recovering {options.RecoveryActors:N0} actors x {options.EventsPerActor} events");
        var manyRuns = new List<double>();
        for (var r = 0; r < Math.Max(1, Math.Min(options.Reps, 2)); r++)
        {
            var remaining = options.RecoveryActors;
            long total = 0;
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sw = Stopwatch.StartNew();
            var actors = pids.Select(pid => spawn(pid, count =>
            {
                Interlocked.Add(ref total, count);
                if (Interlocked.Decrement(ref remaining) == 0) all.TrySetResult();
            })).ToArray();
            var spawned = sw.Elapsed.TotalSeconds;
            await all.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var elapsed = sw.Elapsed.TotalSeconds;
            Progress($"{name}: {options.RecoveryActors:N0} actors spawned in {spawned:0.00} s, all recovered after {elapsed:0.00} s");
            var expected = (long)options.RecoveryActors * options.EventsPerActor;
            if (total != expected) throw new InvalidOperationException($"replayed {total}, expected {expected}");
            manyRuns.Add(total / elapsed);
            foreach (var actor in actors) actor.Tell(PoisonPill.Instance, ActorRefs.NoSender);
            await Task.Delay(200);
        }

        return new JsonObject
        {
            ["single_actor_events_per_s"] = Math.Round(Median(singleRuns)),
            ["single_actor_runs"] = new JsonArray(singleRuns.Select(r => (JsonNode)Math.Round(r)).ToArray()),
            ["many_actors_events_per_s"] = Math.Round(Median(manyRuns)),
            ["many_actors_runs"] = new JsonArray(manyRuns.Select(r => (JsonNode)Math.Round(r)).ToArray()),
            ["setup_write_events_per_s"] = Math.Round(setupRate),
            ["journal_api_replay_no_actor_events_per_s"] = Math.Round(Median(journalReplay)),
            ["raw_read_no_decode_rows_per_s"] = Math.Round(Median(rawRead)),
        };
    }

    /// <summary>Writes eventsPerId events for each id through the journal: 10k-event calls, two in flight.</summary>
    private static async Task WriteHistoryAsync(PersistenceStore store, string[] pids, long eventsPerId, object serialized)
    {
        const int eventsPerCall = 10_000;
        var inFlight = new List<Task>();
        var writes = new List<AtomicWrite>();
        var eventsInCall = 0;
        foreach (var pid in pids)
        {
            for (long from = 1; from <= eventsPerId; from += 1000)
            {
                var to = Math.Min(eventsPerId, from + 999);
                var reprs = new PersistentRepr[to - from + 1];
                for (var i = 0; i < reprs.Length; i++) reprs[i] = new PersistentRepr(serialized, pid, from + i) { Manifest = BenchSerializer.Manifest };
                writes.Add(new AtomicWrite(reprs));
                eventsInCall += reprs.Length;
                if (eventsInCall >= eventsPerCall)
                {
                    inFlight.Add(Check(store.Journal.WriteMessagesAsync(writes)));
                    writes = [];
                    eventsInCall = 0;
                    if (inFlight.Count >= 2)
                    {
                        await inFlight[0];
                        inFlight.RemoveAt(0);
                    }
                }
            }
        }
        if (writes.Count > 0) inFlight.Add(Check(store.Journal.WriteMessagesAsync(writes)));
        await Task.WhenAll(inFlight);

        static async Task Check(Task<IReadOnlyList<Exception?>> write)
        {
            if ((await write).FirstOrDefault(e => e is not null) is { } rejected) throw rejected;
        }
    }

    /// <summary>Plain ADO.NET: one SELECT of the id's rows in order, every column a replay needs read, nothing decoded.</summary>
    private static async Task<double> RawReadAsync(JournalSettings settings, string pid)
    {
        System.Data.Common.DbConnection connection = settings.Provider == JournalProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={settings.Path};Pooling=False")
            : new NpgsqlConnection(settings.ConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            var table = settings.Provider == JournalProvider.Sqlite ? "event_journal" : $"\"{settings.Schema}\".event_journal";
            command.CommandText = $"SELECT sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch FROM {table} WHERE persistence_id = @pid ORDER BY sequence_nr";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@pid";
            parameter.Value = pid;
            command.Parameters.Add(parameter);
            var sw = Stopwatch.StartNew();
            long rows = 0;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetInt64(0);
                _ = reader.GetString(1);
                _ = reader.GetFieldValue<byte[]>(2);
                _ = reader.GetString(3);
                _ = reader.GetInt64(4);
                _ = reader.GetString(5);
                _ = reader.GetInt64(6);
                rows++;
            }
            return rows / sw.Elapsed.TotalSeconds;
        }
    }

    private static async Task SettleAsync(JournalSettings settings)
    {
        System.Data.Common.DbConnection connection = settings.Provider == JournalProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={settings.Path};Pooling=False")
            : new NpgsqlConnection(settings.ConnectionString);
        await using (connection)
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandTimeout = 600;
            command.CommandText = settings.Provider == JournalProvider.Sqlite
                ? "PRAGMA wal_checkpoint(TRUNCATE);"
                : $"VACUUM ANALYZE \"{settings.Schema}\".event_journal";
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<double> MedianAsync(int reps, Func<Task<double>> run)
    {
        var values = new List<double>();
        for (var i = 0; i < reps; i++) values.Add(await run());
        return Median(values);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Ratio(double value, double ceiling) => Math.Round(value / ceiling, 3);

    private static async Task<string> ServerVersionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection.ServerVersion;
    }

    private static async Task DropSchemaAsync(string connectionString, string schema)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE";
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            Progress($"could not drop schema {schema}: {e.Message}");
        }
    }

    private static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[journal {DateTime.Now:HH:mm:ss}] {message}");

    private static double ReadOption(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? ReadString(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
