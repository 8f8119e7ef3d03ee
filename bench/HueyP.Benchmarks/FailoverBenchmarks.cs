using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HueyP.Cluster.Tests.Processes;
using Npgsql;

namespace HueyP.Benchmarks;

/// <summary>
/// `scripts/bench.sh failover [--cycles N] [--lag-events N]`: two real `hueyp node run` candidate processes on one
/// PostgreSQL. Each cycle kills the active with SIGKILL and measures, from the kill, (a) the lease taken over
/// (acquired_at of the lease row, PostgreSQL's clock, same machine) and (b) the other node reporting active with its
/// engine started and its first fenced journal write (TermBegan) committed — the moment it accepts commands. Then the
/// killed node is restarted as the standby. Lag: events written into the shared journal at --lag-rate per second while
/// the standby's journal tail reports how late each reached it (its last_delay_ms), sampled every 50 ms: 10 s of
/// writes give ~200 samples, so the p99 is not just the largest of a few dozen.
/// Needs the built node (src/HueyP.Node, Release, beside this build; HUEYP_NODE_DLL overrides) and PostgreSQL
/// ($HUEYP_BENCH_PG, else $HUEYP_TEST_PG, else a throwaway server from scripts/pg.sh). The node processes are driven by
/// the real-process tests' NodeProcess (tests/HueyP.Cluster.Tests/Processes/NodeProcess.cs, linked into this project).
/// </summary>
public static class FailoverBenchmarks
{
    public static async Task<JsonObject> RunAsync(string[] args)
    {
        var cycles = (int)Read(args, "--cycles", 20);
        var lagEvents = (int)Read(args, "--lag-events", 10_000);
        var lagRate = (int)Read(args, "--lag-rate", 1_000);
        var server = Environment.GetEnvironmentVariable("HUEYP_BENCH_PG") is { Length: > 0 } b ? b : Environment.GetEnvironmentVariable("HUEYP_TEST_PG");
        string? pgDir = null;
        if (string.IsNullOrEmpty(server))
        {
            pgDir = Path.Combine("/tmp", $"hueyp-fbench-pg-{Environment.ProcessId}");
            server = Run("scripts/pg.sh", $"start {pgDir}").Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        }

        var database = $"hueyp_fbench_{Environment.ProcessId}";
        await AdminAsync(server, $"CREATE DATABASE \"{database}\"");
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("hueyp-fbench-").FullName;
        var nodes = new[] { Node("node-a", folder, connection), Node("node-b", folder, connection) };
        var result = new JsonObject { ["benchmark"] = "failover", ["cycles"] = cycles, ["lease_ttl_ms"] = 2000, ["renew_interval_ms"] = 500, ["acquire_interval_ms"] = 200 };
        try
        {
            nodes[0].Start();
            await WaitAsync(async () => await RoleOfAsync(nodes[0]) == "active", "node-a active");
            nodes[1].Start();
            await WaitAsync(async () => await RoleOfAsync(nodes[1]) == "standby", "node-b standby");

            result["lag"] = await MeasureLagAsync(connection, nodes, lagEvents, lagRate);

            var leaseMs = new List<double>();
            var acceptingMs = new List<double>();
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                var active = await RoleOfAsync(nodes[0]) == "active" ? nodes[0] : nodes[1];
                var standby = active == nodes[0] ? nodes[1] : nodes[0];
                var killedAt = DateTime.UtcNow;
                var clock = Stopwatch.StartNew();
                active.Kill();
                await WaitAsync(async () => await RoleOfAsync(standby) == "active", $"cycle {cycle}: takeover", pollMs: 5);
                acceptingMs.Add(clock.Elapsed.TotalMilliseconds);
                var acquiredAt = (DateTime)(await ScalarAsync(connection, "SELECT acquired_at FROM cluster_lease WHERE name = 'hueyp'"))!;
                leaseMs.Add((DateTime.SpecifyKind(acquiredAt, DateTimeKind.Utc) - killedAt).TotalMilliseconds);
                Console.Error.WriteLine($"failover: cycle {cycle}/{cycles}: lease {leaseMs[^1]:0} ms, accepting {acceptingMs[^1]:0} ms");
                active.Start();
                await WaitAsync(async () => await RoleOfAsync(active) == "standby", $"cycle {cycle}: restart as standby");
            }

            result["kill_to_lease_ms"] = Summary(leaseMs);
            result["kill_to_accepting_ms"] = Summary(acceptingMs);
            result["note"] = "accepting = the standby reports role active: lease won, TermBegan committed through the fence, engine started. " +
                "The live node has no order intake of its own yet (the bridge hosts it), so this is the moment it could accept its first order.";
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            try { await AdminAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"); } catch (NpgsqlException) { }
            if (pgDir is not null) Run("scripts/pg.sh", $"stop {pgDir}");
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return result;
    }

    /// <summary>Writes events into the shared journal at a steady rate and samples how late the standby's tail sees them.</summary>
    private static async Task<JsonObject> MeasureLagAsync(string connection, NodeProcess[] nodes, int events, int rate)
    {
        var standby = await RoleOfAsync(nodes[0]) == "standby" ? nodes[0] : nodes[1];
        // Until the tail has read a bench event, its last delay is that of its start-up catch-up read (the active's
        // TermBegan, seconds old): such samples say nothing about replication and are left out.
        var before = Convert.ToInt64(await ScalarAsync(connection, "SELECT coalesce(max(ordering), 0) FROM event_journal"), CultureInfo.InvariantCulture);
        using var sampling = new CancellationTokenSource();
        var samples = new List<(double DelayMs, long Behind)>();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                if (await standby.StatusAsync() is { } status && status.GetProperty("tail") is var tail && tail.GetProperty("offset").GetInt64() > before)
                {
                    // journal_head is read after the tail's progress (three queries later), so "behind" overstates a little.
                    var head = status.GetProperty("journal_head").GetInt64();
                    samples.Add((tail.GetProperty("last_delay_ms").GetDouble(), Math.Max(0, head - tail.GetProperty("offset").GetInt64())));
                }
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        });

        // Plain inserts in the journal's row format (a separate writer id, unfenced): the tail decodes only what it
        // knows, so the payload is a TermHeartbeat the node's serializer reads.
        await using var data = NpgsqlDataSource.Create(connection);
        var clock = Stopwatch.StartNew();
        var batch = Math.Max(1, rate / 100);
        for (var written = 0; written < events; written += batch)
        {
            var due = TimeSpan.FromSeconds((double)written / rate);
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
            await using var insert = data.CreateCommand(
                "INSERT INTO event_journal (persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash) " +
                "SELECT 'bench-lag', s, 'cluster.TermHeartbeat.v1', convert_to(json_build_object('Node','bench','Epoch',0,'Beat',s,'AtUtc',now())::text, 'UTF8'), " +
                "'', (extract(epoch from clock_timestamp()) * 10000000)::bigint + 621355968000000000, 'bench', 0, FALSE, '\\x00' " +
                "FROM generate_series(@from::bigint, @to::bigint) AS s; SELECT pg_notify('hueyp_journal_public', '')");
            insert.Parameters.AddWithValue("from", (long)written + 1);
            insert.Parameters.AddWithValue("to", (long)Math.Min(events, written + batch));
            await insert.ExecuteNonQueryAsync();
        }
        var elapsed = clock.Elapsed;
        await Task.Delay(500);
        await sampling.CancelAsync();
        await sampler;
        var delays = samples.Select(s => s.DelayMs).Where(d => d > 0).ToList();
        return new JsonObject
        {
            ["events"] = events,
            ["target_rate_per_s"] = rate,
            ["achieved_rate_per_s"] = Math.Round(events / elapsed.TotalSeconds),
            ["standby_delay_ms"] = Summary(delays),
            ["standby_behind_events"] = Summary(samples.Select(s => (double)s.Behind).ToList()),
            ["samples"] = samples.Count,
        };
    }

    private static JsonObject Summary(List<double> values)
    {
        if (values.Count == 0) return new JsonObject { ["n"] = 0 };
        var sorted = values.Order().ToList();
        double At(double q) => Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)], 1);
        return new JsonObject { ["n"] = sorted.Count, ["p50"] = At(0.5), ["p99"] = At(0.99), ["max"] = Math.Round(sorted[^1], 1), ["min"] = Math.Round(sorted[0], 1) };
    }

    private static NodeProcess Node(string name, string folder, string connection) => new(name, folder, NodeProcess.FreePort(), connection, "");

    private static async Task<string?> RoleOfAsync(NodeProcess node) => (await node.RoleAsync())?.Role;

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, int pollMs = 50)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"failover benchmark: timed out waiting for {what}");
            await Task.Delay(pollMs);
        }
    }

    private static async Task AdminAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode})");
        return output;
    }

    private static long Read(string[] args, string name, long fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && long.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
