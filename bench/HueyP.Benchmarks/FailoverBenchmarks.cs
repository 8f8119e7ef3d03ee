using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace HueyP.Benchmarks;

/// <summary>
/// `scripts/bench.sh failover [--cycles N] [--lag-events N]`: two real `hueyp node run` candidate processes on one
/// PostgreSQL. Each cycle kills the active with SIGKILL and measures, from the kill, (a) the lease taken over
/// (acquired_at of the lease row, PostgreSQL's clock, same machine) and (b) the other node reporting active with its
/// engine started and its first fenced journal write (TermBegan) committed — the moment it accepts commands. Then the
/// killed node is restarted as the standby. Lag: events written into the shared journal at --lag-rate per second while
/// the standby's journal tail reports how late each reached it (its last_delay_ms), sampled every 100 ms.
/// Needs the built node (src/HueyP.Node, Release; HUEYP_NODE_DLL overrides) and PostgreSQL ($HUEYP_BENCH_PG, else
/// $HUEYP_TEST_PG, else a throwaway server from scripts/pg.sh).
/// </summary>
public static class FailoverBenchmarks
{
    public static async Task<JsonObject> RunAsync(string[] args)
    {
        var cycles = (int)Read(args, "--cycles", 20);
        var lagEvents = (int)Read(args, "--lag-events", 5_000);
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
        var nodes = new[] { new Node("node-a", folder, connection), new Node("node-b", folder, connection) };
        var result = new JsonObject { ["benchmark"] = "failover", ["cycles"] = cycles, ["lease_ttl_ms"] = 2000, ["renew_interval_ms"] = 500, ["acquire_interval_ms"] = 200 };
        try
        {
            nodes[0].Start();
            await WaitAsync(async () => await nodes[0].RoleAsync() == "active", "node-a active");
            nodes[1].Start();
            await WaitAsync(async () => await nodes[1].RoleAsync() == "standby", "node-b standby");

            result["lag"] = await MeasureLagAsync(connection, nodes, lagEvents, lagRate);

            var leaseMs = new List<double>();
            var acceptingMs = new List<double>();
            for (var cycle = 1; cycle <= cycles; cycle++)
            {
                var active = await nodes[0].RoleAsync() == "active" ? nodes[0] : nodes[1];
                var standby = active == nodes[0] ? nodes[1] : nodes[0];
                var killedAt = DateTime.UtcNow;
                var clock = Stopwatch.StartNew();
                active.Kill();
                await WaitAsync(async () => await standby.RoleAsync() == "active", $"cycle {cycle}: takeover", pollMs: 5);
                acceptingMs.Add(clock.Elapsed.TotalMilliseconds);
                var acquiredAt = (DateTime)(await ScalarAsync(connection, "SELECT acquired_at FROM cluster_lease WHERE name = 'hueyp'"))!;
                leaseMs.Add((DateTime.SpecifyKind(acquiredAt, DateTimeKind.Utc) - killedAt).TotalMilliseconds);
                Console.Error.WriteLine($"failover: cycle {cycle}/{cycles}: lease {leaseMs[^1]:0} ms, accepting {acceptingMs[^1]:0} ms");
                active.Start();
                await WaitAsync(async () => await active.RoleAsync() == "standby", $"cycle {cycle}: restart as standby");
            }

            result["kill_to_lease_ms"] = Summary(leaseMs);
            result["kill_to_accepting_ms"] = Summary(acceptingMs);
            result["note"] = "accepting = the standby reports role active: lease won, TermBegan committed through the fence, engine started. " +
                "The live node has no order intake of its own yet (the bridge hosts it), so this is the moment it could accept its first order.";
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
            NpgsqlConnection.ClearAllPools();
            try { await AdminAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"); } catch (NpgsqlException) { }
            if (pgDir is not null) Run("scripts/pg.sh", $"stop {pgDir}");
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return result;
    }

    /// <summary>Writes events into the shared journal at a steady rate and samples how late the standby's tail sees them.</summary>
    private static async Task<JsonObject> MeasureLagAsync(string connection, Node[] nodes, int events, int rate)
    {
        var standby = await nodes[0].RoleAsync() == "standby" ? nodes[0] : nodes[1];
        using var sampling = new CancellationTokenSource();
        var samples = new List<(double DelayMs, long Behind)>();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                if (await standby.StatusAsync() is { } status)
                {
                    var tail = status.GetProperty("tail");
                    var head = status.GetProperty("journal_head").GetInt64();
                    samples.Add((tail.GetProperty("last_delay_ms").GetDouble(), Math.Max(0, head - tail.GetProperty("offset").GetInt64())));
                }
                try { await Task.Delay(100, sampling.Token); } catch (OperationCanceledException) { }
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
            ["standby_behind_events_max"] = samples.Count == 0 ? 0 : samples.Max(s => s.Behind),
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

    /// <summary>One candidate node process.</summary>
    private sealed class Node : IDisposable
    {
        private readonly string _config;
        private readonly string _connection;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
        private Process? _process;

        public Node(string name, string folder, string connection)
        {
            RunDir = Path.Combine(folder, name);
            Directory.CreateDirectory(RunDir);
            _connection = connection;
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            _config = Path.Combine(folder, $"{name}.conf");
            File.WriteAllText(_config, $$"""
                include "{{Path.Combine(NodeDirectory, "hocon", "reference.conf")}}"
                hueyp {
                  node { name = "{{name}}", role = "candidate", run-dir = "{{RunDir}}" }
                  admin.port = {{Port}}
                  logging.console = off
                  persistence.provider = "postgresql"
                  engine.constraints = "{{Path.GetFullPath("data/constraints.json")}}"
                  telemetry.enabled = off
                }
                """);
        }

        public string RunDir { get; }
        public int Port { get; }

        private static string NodeDirectory =>
            Environment.GetEnvironmentVariable("HUEYP_NODE_DLL") is { Length: > 0 } dll ? Path.GetDirectoryName(Path.GetFullPath(dll))!
                : Path.GetFullPath("src/HueyP.Node/bin/Release/net10.0");

        public void Start()
        {
            var info = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(NodeDirectory, "hueyp.dll"), "node", "run", "--config", _config },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["HUEYP_PG"] = _connection;
            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public void Kill()
        {
            if (_process is { HasExited: false } p)
            {
                p.Kill();
                p.WaitForExit();
            }
        }

        public async Task<JsonElement?> StatusAsync()
        {
            var token = Path.Combine(RunDir, "admin.token");
            if (!File.Exists(token)) return null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{Port}/api/cluster");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(token)).Trim());
                using var response = await _http.SendAsync(request);
                return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                return null;
            }
        }

        public async Task<string?> RoleAsync() => await StatusAsync() is { } s ? s.GetProperty("role").GetString() : null;

        public void Dispose()
        {
            Kill();
            _process?.Dispose();
            _http.Dispose();
        }
    }
}
