using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// Real order traffic on the active node: the cluster's drill feed plays the shipped EURUSD ticks of 2020-01-30 into the
/// live engine (its broker the paper broker, or the MT4 broker and the EA simulator process when the pair runs one), with a strategy fast enough (M1 bars, short periods) to decide an order every few
/// hundred ticks. Everything it checks is read from outside, as an operator would: the journal's tables, `hueyp journal
/// verify`, and the admin API's /api/state/rebuild and /api/orders/{id}.
/// </summary>
public static class OrderFlow
{
    public static string TickFile => Path.Combine(AppContext.BaseDirectory, "data", "fx", "EURUSD_ticks_2020-01-30.csv.gz");

    /// <summary>The node configuration that makes orders flow on whichever node is active.</summary>
    public static string Config(int ticksPerSecond = 1000) => $$"""
        hueyp {
          engine.symbols = ["EURUSD"]
          strategy { timeframe = "M1", fast-period = 2, slow-period = 3, rsi-period = 3, atr-period = 3 }
          policy.min-confidence = 0.0
          pre-trade { max-orders-per-minute = 100000, max-orders-per-minute-per-symbol = 100000 }
          cluster.drill-feed { file = "{{TickFile}}", ticks-per-second = {{ticksPerSecond}}, rewind = 10m }
        }
        """;

    /// <summary>Client order ids the journal holds as submitted or accepted: what the engine acknowledged.</summary>
    public static async Task<HashSet<string>> AcknowledgedAsync(ClusterPair pair)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(pair.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT DISTINCT persistence_id FROM event_journal WHERE manifest IN ('OrderSubmitted.v1', 'OrderAccepted.v1') AND NOT deleted", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0)["order-".Length..]);
        return ids;
    }

    /// <summary>
    /// Client order ids the broker received more than once (the paper broker's journaled BrokerRequestReceived, the MT4
    /// broker's Mt4OrderSent), plus orders that journaled OrderSubmitted more than once: each would be an order sent twice.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SubmittedTwiceAsync(ClusterPair pair)
    {
        var twice = new List<string>();
        await using var connection = new NpgsqlConnection(pair.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT convert_from(payload, 'UTF8')::jsonb #>> '{Request,ClientOrderId}' AS id FROM event_journal
            WHERE manifest = 'BrokerRequestReceived.v1' AND NOT deleted GROUP BY 1 HAVING count(*) > 1
            UNION ALL
            SELECT convert_from(payload, 'UTF8')::jsonb ->> 'client_order_id' FROM event_journal
            WHERE manifest = 'Mt4OrderSent.v1' AND NOT deleted GROUP BY 1 HAVING count(*) > 1
            UNION ALL
            SELECT persistence_id FROM event_journal WHERE manifest = 'OrderSubmitted.v1' AND NOT deleted GROUP BY 1 HAVING count(*) > 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) twice.Add(reader.IsDBNull(0) ? "(a broker request without a client order id)" : reader.GetString(0));
        return twice;
    }

    /// <summary>Broker submissions in the journal, paper or MT4 (each client order id counted once).</summary>
    public static async Task<long> BrokerRequestsAsync(ClusterPair pair) => Convert.ToInt64(await pair.ScalarAsync("""
        SELECT count(DISTINCT id) FROM (
          SELECT convert_from(payload, 'UTF8')::jsonb #>> '{Request,ClientOrderId}' AS id FROM event_journal WHERE manifest = 'BrokerRequestReceived.v1'
          UNION ALL
          SELECT convert_from(payload, 'UTF8')::jsonb ->> 'client_order_id' FROM event_journal WHERE manifest = 'Mt4OrderSent.v1') AS sent
        """), CultureInfo.InvariantCulture);

    /// <summary>
    /// Acknowledged orders that never left the node that acknowledged them: killed between journaling the order as
    /// submitted and the MT4 broker journaling it as sent (Mt4OrderSent, written before the TRADE goes to the outbox), so
    /// the next active's start-up reconciliation found the broker never had them and canceled them. No EA can have
    /// them; the journal says what became of them.
    /// </summary>
    public static async Task<HashSet<string>> CanceledUnsentAsync(ClusterPair pair)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(pair.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT substring(canceled.persistence_id from 7) FROM event_journal canceled
            WHERE canceled.manifest = 'OrderCanceled.v1' AND NOT canceled.deleted
              AND convert_from(canceled.payload, 'UTF8')::jsonb ->> 'Reason' = 'reconciliation: unknown to broker'
              AND NOT EXISTS (SELECT 1 FROM event_journal sent WHERE sent.manifest = 'Mt4OrderSent.v1'
                              AND convert_from(sent.payload, 'UTF8')::jsonb ->> 'client_order_id' = substring(canceled.persistence_id from 7))
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// What the journal holds about one order, in journal order: its entity's events, the MT4 broker's rows naming it,
    /// and the bridge outbox rows carrying it (one line each: ordering, writer epoch and node, stream, manifest). For a
    /// failure message: where an order stopped.
    /// </summary>
    public static async Task<string> JournalHistoryAsync(ClusterPair pair, string clientOrderId)
    {
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(pair.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT ordering, writer_epoch, writer_id, persistence_id, manifest, deleted, left(convert_from(payload, 'UTF8'), 200) FROM event_journal
            WHERE persistence_id = 'order-' || @id
               OR (persistence_id IN ('mt4-broker', 'bridge-outbox') AND position(@id IN convert_from(payload, 'UTF8')) > 0)
            ORDER BY ordering
            """, connection);
        command.Parameters.AddWithValue("id", clientOrderId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add($"    #{reader.GetInt64(0)} epoch {reader.GetValue(1)} {reader.GetValue(2)} {reader.GetString(3)} {reader.GetString(4)}{(reader.GetBoolean(5) ? " (deleted)" : "")}: {reader.GetString(6)}");
        return lines.Count == 0 ? "    (nothing)" : string.Join('\n', lines);
    }

    /// <summary>`hueyp journal verify --pg ... --json` as a separate process; returns (exit code, events checked, output).</summary>
    public static async Task<(int ExitCode, long EventsChecked, string Output)> VerifyJournalAsync(ClusterPair pair)
    {
        var (code, output) = await CliAsync(pair.ConnectionString, "journal", "verify", "--pg", pair.ConnectionString, "--json");
        long events = -1;
        try
        {
            using var json = JsonDocument.Parse(output);
            events = json.RootElement.GetProperty("events_checked").GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // The exit code and the output say what went wrong.
        }
        return (code, events, output);
    }

    /// <summary>
    /// Waits until the engine's journal stops growing (the drill feed paused, the quotes already queued worked off),
    /// then GET /api/state/rebuild on <paramref name="node"/>: the whole journal folded into fresh state next to the
    /// state the node's actors hold. Asked again a few times should a late event still land between the two reads.
    /// </summary>
    public static async Task<JsonElement> StateRebuildAsync(ClusterPair pair, NodeProcess node, Action<string>? log = null)
    {
        var watch = Stopwatch.StartNew();
        await QuietAsync(pair, node);
        log?.Invoke($"quiet after {watch.Elapsed.TotalSeconds:0.0}s");
        JsonElement last = default;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await node.GetAsync("/api/state/rebuild", TimeSpan.FromSeconds(60)) is { } json)
            {
                last = json;
                log?.Invoke($"rebuild {attempt} at {watch.Elapsed.TotalSeconds:0.0}s: {json}");
                if (json.GetProperty("consistent").GetBoolean()) return json;
            }
            else log?.Invoke($"rebuild {attempt} at {watch.Elapsed.TotalSeconds:0.0}s: no answer");
            await Task.Delay(200);
        }
        return last;
    }

    /// <summary>Waits until the engine's journal stops growing (the drill feed of <paramref name="node"/> paused, the queued quotes worked off).</summary>
    public static Task QuietAsync(ClusterPair pair, NodeProcess node) => pair.WaitForAsync(async () =>
    {
        var head = await EngineHeadAsync(pair);
        await Task.Delay(300);
        return head == await EngineHeadAsync(pair);
    }, $"the engine of {node.Name} to go quiet after the drill feed paused");

    /// <summary>The newest journal row of the engine (the cluster's heartbeats and the health probe keep writing while paused).</summary>
    private static async Task<long> EngineHeadAsync(ClusterPair pair) => Convert.ToInt64(await pair.ScalarAsync(
        "SELECT coalesce(max(ordering), 0) FROM event_journal WHERE persistence_id NOT IN ('cluster-terms', 'health-journal-probe')"), CultureInfo.InvariantCulture);

    /// <summary>Ids of <paramref name="ids"/> that the node's order side does not answer for (GET /api/orders/{id}).</summary>
    public static async Task<IReadOnlyList<string>> UnknownToAsync(NodeProcess node, IEnumerable<string> ids)
    {
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            if (await node.GetAsync($"/api/orders/{id}") is not { } order || order.GetProperty("client_order_id").GetString() != id) unknown.Add(id);
        }
        return unknown;
    }

    private static async Task<(int ExitCode, string Output)> CliAsync(string connectionString, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(NodeProcess.NodeDirectory, "hueyp.dll"));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["HUEYP_PG"] = connectionString;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("hueyp did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>How the node's symbol was warmed at its start (`hueyp symbols show`'s summary), polled until its first quote has come.</summary>
    public static async Task<string> WarmStartAsync(NodeProcess node, string symbol)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (await node.GetAsync($"/api/symbols?symbol={symbol}") is { ValueKind: JsonValueKind.Array } json && json.GetArrayLength() == 1)
            {
                if (json[0].TryGetProperty("warm_start", out var warm) && warm.ValueKind == JsonValueKind.Object) return warm.GetProperty("summary").GetString() ?? "";
                last = "waiting for the first quote";
            }
            await Task.Delay(200);
        }
        return last;
    }

}

/// <summary>
/// A witness outside the journal that saw every order the nodes sent, e.g. the EA simulator (<see cref="EaWitness"/>)
/// when the MT4 broker sends orders over the bridge: after every cycle it must have received each acknowledged client
/// order id, and executed none twice. <see cref="OrderWitnesses.All"/> lists a pair's; the failover test calls every
/// one after every cycle.
/// </summary>
public interface IOrderWitness
{
    string Name { get; }

    /// <summary>Client order ids this witness received more than once, and acknowledged ones it never received.</summary>
    Task<(IReadOnlyList<string> Duplicates, IReadOnlyList<string> Missing)> CheckAsync(IReadOnlySet<string> acknowledged);
}

public static class OrderWitnesses
{
    /// <summary>
    /// The pair's EA simulator when it runs one. On the paper broker (inside the active node) there is none: the
    /// journal's BrokerRequestReceived rows are then the only record of what reached a broker.
    /// </summary>
    public static IReadOnlyList<IOrderWitness> All(ClusterPair pair) => pair.Ea is { } ea ? [ea.Witness] : [];
}
