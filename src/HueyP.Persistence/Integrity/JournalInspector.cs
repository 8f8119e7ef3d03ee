using System.Runtime.CompilerServices;
using System.Text.Json;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Integrity;

public sealed record JournalStats(
    long Events,
    long DeletedEvents,
    long PersistenceIds,
    long Tags,
    long Snapshots,
    long HighestOrdering,
    long SizeBytes,
    int SchemaVersion);

public sealed record TagSummary(string Tag, long Events);

/// <summary>Read-only views for operators (the <c>hueyp journal</c> commands): stats, listings, JSONL export.</summary>
public sealed class JournalInspector
{
    private readonly StoreContext _context;
    private readonly TableNames _tables;

    internal JournalInspector(StoreContext context)
    {
        _context = context;
        _tables = context.Database.Tables;
    }

    public async Task<JournalStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        await _context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"""
            SELECT
              (SELECT COUNT(*) FROM {_tables.Journal}),
              (SELECT COUNT(*) FROM {_tables.Journal} WHERE deleted = TRUE),
              (SELECT COUNT(DISTINCT persistence_id) FROM {_tables.Journal}),
              (SELECT COUNT(DISTINCT tag) FROM {_tables.Tags}),
              (SELECT COUNT(*) FROM {_tables.Snapshots}),
              (SELECT COALESCE(MAX(ordering), 0) FROM {_tables.Journal}),
              (SELECT COALESCE(MAX(version), 0) FROM {_tables.SchemaVersion})
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var size = await _context.Database.GetSizeBytesAsync(cancellationToken).ConfigureAwait(false);
        return new JournalStats(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5), size, Convert.ToInt32(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Stored rows (deleted ones included) of one persistence id, or of all ids when null, in ordering order.</summary>
    public async IAsyncEnumerable<JournalRow> ListEventsAsync(string? persistenceId = null, long afterOrdering = 0, int? limit = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var page = Math.Max(1, _context.Settings.ReadPageSize);
        var remaining = limit ?? long.MaxValue;
        while (remaining > 0)
        {
            var rows = new List<JournalRow>();
            await using (var connection = await _context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false))
            await using (var command = connection.Command(
                $"SELECT {JournalRow.Columns} FROM {_tables.Journal} WHERE ordering > @after {(persistenceId is null ? "" : "AND persistence_id = @pid")} ORDER BY ordering LIMIT @limit"))
            {
                command.With("@after", afterOrdering).With("@limit", Math.Min(page, remaining));
                if (persistenceId is not null) command.With("@pid", persistenceId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(JournalRow.Read(reader));
            }
            foreach (var row in rows) yield return row;
            if (rows.Count < Math.Min(page, remaining)) yield break;
            remaining -= rows.Count;
            afterOrdering = rows[^1].Ordering;
        }
    }

    public async IAsyncEnumerable<TagSummary> ListTagsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"SELECT tag, COUNT(*) FROM {_tables.Tags} GROUP BY tag ORDER BY tag");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return new TagSummary(reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Writes one JSON object per stored event (deleted ones included, flagged) to output, in ordering order.
    /// The payload is embedded as JSON when it parses, otherwise as base64 under "payload_base64". Returns the count.
    /// </summary>
    public async Task<long> ExportJsonLinesAsync(Stream output, string? persistenceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        long count = 0;
        var newline = "\n"u8.ToArray();
        await foreach (var row in ListEventsAsync(persistenceId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                writer.WriteNumber("ordering", row.Ordering);
                writer.WriteString("persistence_id", row.PersistenceId);
                writer.WriteNumber("sequence_nr", row.SequenceNr);
                writer.WriteString("manifest", row.Manifest);
                writer.WriteStartArray("tags");
                foreach (var tag in row.Tags) writer.WriteStringValue(tag);
                writer.WriteEndArray();
                writer.WriteString("timestamp", row.Timestamp);
                writer.WriteString("writer_id", row.WriterId);
                writer.WriteNumber("writer_epoch", row.WriterEpoch);
                writer.WriteBoolean("deleted", row.Deleted);
                writer.WriteString("hash", Convert.ToHexStringLower(row.Hash));
                if (IsJson(row.Payload))
                {
                    writer.WritePropertyName("payload");
                    writer.WriteRawValue(row.Payload, skipInputValidation: true);
                }
                else
                {
                    writer.WriteBase64String("payload_base64", row.Payload);
                }
                writer.WriteEndObject();
            }
            await output.WriteAsync(newline, cancellationToken).ConfigureAwait(false);
            count++;
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static bool IsJson(byte[] payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read()) { }
            return payload.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
