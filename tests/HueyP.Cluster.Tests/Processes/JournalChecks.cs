using HueyP.Persistence.Integrity;
using Npgsql;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// The failover test's per-cycle journal checks at a cost that does not grow with the journal: each cycle reads only
/// the rows after the last <em>settled</em> ordering. An ordering is settled once a rebuild on the active came out
/// consistent after it had been the journal's head: the rebuild's all-events read waited for every lower ordering
/// to commit or to be given up as rolled back, so no row can still appear below it. Rows above it are read again
/// each time until they settle too.
/// </summary>
public sealed class JournalChecks(ClusterPair pair)
{
    private readonly HashSet<string> _settledAcknowledged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long SequenceNr, long Ordering, byte[] Hash)> _chains = new(StringComparer.Ordinal);
    private long _settled;

    /// <summary>Rows whose hash chain link has been checked so far.</summary>
    public long EventsVerified { get; private set; }

    /// <summary>
    /// Client order ids the journal holds as submitted or accepted: what the engine acknowledged. The same answer as
    /// a scan of the whole journal (the test's last step compares the two), reading only the unsettled rows.
    /// </summary>
    public async Task<HashSet<string>> AcknowledgedAsync()
    {
        var ids = new HashSet<string>(_settledAcknowledged, StringComparer.Ordinal);
        await foreach (var (_, id) in AcknowledgedAfterAsync(_settled)) ids.Add(id);
        return ids;
    }

    /// <summary>The journal's newest ordering: read before a rebuild, it is what <see cref="SettleAsync"/> takes.</summary>
    public async Task<long> HeadAsync() => Convert.ToInt64(await pair.ScalarAsync("SELECT coalesce(max(ordering), 0) FROM event_journal"),
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Walks the hash chain link of every row in (last settled, <paramref name="head"/>] from where each persistence
    /// id's chain stood, then takes <paramref name="head"/> as settled. Returns the first broken link, or null.
    /// A row that committed below an ordering already settled shows up as a sequence gap in its chain.
    /// </summary>
    public async Task<string?> SettleAsync(long head)
    {
        if (head <= _settled) return null;
        await using (var connection = new NpgsqlConnection(pair.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT persistence_id, sequence_nr, ordering, manifest, payload, hash FROM event_journal
                WHERE ordering > @after AND ordering <= @head ORDER BY persistence_id, sequence_nr
                """, connection);
            command.Parameters.AddWithValue("after", _settled);
            command.Parameters.AddWithValue("head", head);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var (id, sequenceNr, ordering, manifest) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
                var (payload, hash) = ((byte[])reader[4], (byte[])reader[5]);
                var (previousSequenceNr, previousOrdering, previousHash) = _chains.TryGetValue(id, out var chain) ? chain : (0, 0, []);
                if (sequenceNr != previousSequenceNr + 1) return $"{id} #{sequenceNr} (ordering {ordering}) follows #{previousSequenceNr}: a row is missing";
                if (ordering <= previousOrdering) return $"{id} #{sequenceNr}: ordering {ordering} is not after the previous row's {previousOrdering}";
                if (!EventHash.Compute(id, sequenceNr, manifest, payload, previousHash).AsSpan().SequenceEqual(hash))
                    return $"{id} #{sequenceNr} (ordering {ordering}): the stored hash does not match the row and its predecessor";
                _chains[id] = (sequenceNr, ordering, hash);
                EventsVerified++;
            }
        }

        await foreach (var (ordering, id) in AcknowledgedAfterAsync(_settled))
            if (ordering <= head) _settledAcknowledged.Add(id);
        _settled = head;
        return null;
    }

    private async IAsyncEnumerable<(long Ordering, string Id)> AcknowledgedAfterAsync(long after)
    {
        await using var connection = new NpgsqlConnection(pair.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT ordering, persistence_id FROM event_journal WHERE ordering > @after AND manifest IN ('OrderSubmitted.v1', 'OrderAccepted.v1') AND NOT deleted",
            connection);
        command.Parameters.AddWithValue("after", after);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) yield return (reader.GetInt64(0), reader.GetString(1)["order-".Length..]);
    }
}
