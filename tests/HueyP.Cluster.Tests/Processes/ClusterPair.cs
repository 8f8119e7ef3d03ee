using HueyP.Cluster.Tests.Infrastructure;
using Npgsql;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// A fresh database on the test server and two candidate node processes sharing it; with <c>eaBroker</c>, both nodes'
/// broker is the MT4 broker (hueyp.bridge.broker = mt4, each node its own bridge socket, no pipe or spool) and a
/// `hueyp ea-sim` process (<see cref="Ea"/>) is the EA for the pair, living across every node's death.
/// </summary>
public sealed class ClusterPair : IAsyncDisposable
{
    private readonly string _adminConnectionString;
    private readonly string _database = $"hueyp_cluster_{Guid.NewGuid():N}"[..30];
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-cluster-").FullName;

    private ClusterPair(string adminConnectionString, string extraConfig, bool eaBroker)
    {
        _adminConnectionString = adminConnectionString;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = _database }.ConnectionString;
        // The active writes to the journal all the time (a heartbeat every 50 ms), so a kill or a freeze lands mid-write.
        var config = $"hueyp.cluster.write-probe-interval = 50ms\n{extraConfig}";
        var ports = DistinctPorts(4);
        var (bridgeA, bridgeB) = (ports[2], ports[3]);
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        A = new NodeProcess("node-a", _folder, ports[0], ConnectionString, eaBroker ? config + BridgeConfig(key, bridgeA, bridgeA, bridgeB) : config);
        B = new NodeProcess("node-b", _folder, ports[1], ConnectionString, eaBroker ? config + BridgeConfig(key, bridgeB, bridgeA, bridgeB) : config);
        if (eaBroker) Ea = new EaProcess(_folder, key, [bridgeA, bridgeB]);
    }

    public string ConnectionString { get; }
    public NodeProcess A { get; }
    public NodeProcess B { get; }
    public IEnumerable<NodeProcess> Both => [A, B];

    /// <summary>The EA both nodes send their orders to, when the pair was started with <c>eaBroker</c>.</summary>
    public EaProcess? Ea { get; }

    /// <summary>
    /// The MT4 broker on the bridge's socket (a pipe and a spool are one machine's, the EA follows the active node by
    /// socket). hueyp.bridge.peers names both nodes' sockets, so a standby's STATUS tells the EA where the active is.
    /// Unanswered TRADEs are resent and unfinished orders asked about every half second, so an order a kill left
    /// in flight resolves within a cycle. The outbox is journaled (the default): a standby's is suspended and a new
    /// active recovers it from the journal when its term begins, resending the old active's unacknowledged TRADEs in order.
    /// An order the kill left journaled as submitted but never handed to the bridge is sent again by the new active's
    /// start-up reconciliation. Its window is measured on the orders' market clock, which here is the drill's replay of
    /// 2020-01-30 at 1,000 ticks/s, against the MT4 broker's wall clock: hence a window of years, where a live node,
    /// whose market clock is the wall clock, keeps the default 30 s.
    /// </summary>
    private static string BridgeConfig(string key, int port, int portA, int portB) => $$"""

        hueyp.engine.resend-unsent-within = 3650d
        hueyp.bridge {
          enabled = on
          broker = mt4
          hmac-key = "{{key}}"
          peers { node-a = "127.0.0.1:{{portA}}", node-b = "127.0.0.1:{{portB}}" }
          socket.port = {{port}}
          pipe.enabled = off
          spool.enabled = off
          retransmit-after = 1s
          mt4.check-interval = 500ms
          failover { min-backoff = 100ms, max-backoff = 1s }
        }
        """;

    private static int[] DistinctPorts(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            var port = NodeProcess.FreePort();
            if (!ports.Contains(port)) ports.Add(port);
        }
        return [.. ports];
    }

    public static Task<ClusterPair> StartAsync(string extraConfig = "", bool eaBroker = false) =>
        StartOnAsync(Environment.GetEnvironmentVariable("HUEYP_TEST_PG") is { Length: > 0 } value ? value : throw new InvalidOperationException(PostgreSqlSchema.Missing), extraConfig, eaBroker);

    /// <summary>The pair on a database of its own on <paramref name="server"/> (a superuser connection string).</summary>
    public static async Task<ClusterPair> StartOnAsync(string server, string extraConfig = "", bool eaBroker = false)
    {
        var pair = new ClusterPair(server, extraConfig, eaBroker);
        try
        {
            await pair.AdminAsync($"CREATE DATABASE \"{pair._database}\"");
            pair.A.Start();
            // node-a first, so it is the first active; node-b starts once node-a has created the schema and won.
            await pair.WaitForAsync(async () => await pair.A.RoleAsync() is { Role: "active" }, "node-a to become active");
            pair.B.Start();
            await pair.WaitForAsync(async () => await pair.B.RoleAsync() is { Role: "standby" }, "node-b to be a standby");
            pair.Ea?.Start();
            return pair;
        }
        catch
        {
            await pair.DisposeAsync(); // no process may outlive a failed start
            throw;
        }
    }

    public async Task<NodeProcess> ActiveAsync()
    {
        NodeProcess? active = null;
        await WaitForAsync(async () =>
        {
            foreach (var node in Both)
            {
                if (await node.RoleAsync() is { Role: "active" }) { active = node; return true; }
            }
            return false;
        }, "an active node");
        return active!;
    }

    public NodeProcess Other(NodeProcess node) => ReferenceEquals(node, A) ? B : A;

    /// <summary>Polls until true; generous, never a speed assertion. Fails with both nodes' log tails.</summary>
    public async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}\n--- node-a ---\n{A.LogTail()}\n{await StateOfAsync(A)}\n--- node-b ---\n{B.LogTail()}\n{await StateOfAsync(B)}{(Ea is null ? "" : $"\n--- ea-sim ---\n{Ea.Output}")}");
            await Task.Delay(50);
        }
    }

    /// <summary>What a stuck node says of itself (role, mode, symbols, transports), for a failure message.</summary>
    private static async Task<string> StateOfAsync(NodeProcess node)
    {
        var parts = new List<string>();
        foreach (var route in new[] { "/api/cluster", "/api/mode", "/api/symbols", "/api/transports" })
        {
            try
            {
                var json = await node.GetAsync(route, TimeSpan.FromSeconds(5));
                var text = json?.ToString() ?? "no answer";
                parts.Add($"{route}: {(text.Length > 1500 ? text[..1500] + "..." : text)}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                parts.Add($"{route}: {e.Message}");
            }
        }
        return string.Join('\n', parts);
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Terms never interleave in the journal: every row of an older epoch has a lower ordering than every row of a
    /// newer one. A stale writer that got a row in after a takeover breaks this. Returns the offending pairs.
    /// </summary>
    public async Task<long> InterleavedTermsAsync() => Convert.ToInt64(await ScalarAsync("""
        WITH terms AS (SELECT writer_epoch, min(ordering) AS first, max(ordering) AS last FROM event_journal GROUP BY writer_epoch)
        SELECT count(*) FROM terms older JOIN terms newer ON newer.writer_epoch > older.writer_epoch WHERE older.last > newer.first
        """), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<long> RowsOfEpochAsync(long epoch) =>
        Convert.ToInt64(await ScalarAsync($"SELECT count(*) FROM event_journal WHERE writer_epoch = {epoch}"), System.Globalization.CultureInfo.InvariantCulture);

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Ea is not null) await Ea.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        try
        {
            await AdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // A throwaway server goes with its databases.
        }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
