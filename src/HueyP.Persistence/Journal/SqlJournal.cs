using HueyP.Persistence.Serialization;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Journal;

/// <summary>The event journal on SQLite or PostgreSQL; see <see cref="IAsyncWriteJournal"/> for the contract.</summary>
internal sealed class SqlJournal(StoreContext context) : IAsyncWriteJournal, IAsyncDisposable
{
    private readonly GroupCommitWriter _writer = new(context);
    private readonly TableNames _tables = context.Database.Tables;

    public async Task<IReadOnlyList<Exception?>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var results = new Exception?[messages.Count];
        var accepted = new List<EncodedEvent[]>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                accepted.Add(Encode(messages[i]));
            }
            catch (EventRejectedException rejected)
            {
                results[i] = rejected;
            }
        }
        if (accepted.Count > 0) await _writer.WriteAsync(accepted.ToArray(), cancellationToken).ConfigureAwait(false);
        return results;
    }

    private EncodedEvent[] Encode(AtomicWrite write)
    {
        var now = context.Settings.Clock.GetUtcNow().UtcDateTime.Ticks;
        var encoded = new EncodedEvent[write.Payload.Count];
        for (var i = 0; i < encoded.Length; i++)
        {
            var repr = write.Payload[i];
            SerializedEvent serialized;
            try
            {
                serialized = repr.Payload as SerializedEvent ?? context.Encode(repr.Payload);
            }
            catch (EventSerializationException e)
            {
                throw new EventRejectedException(repr.PersistenceId, repr.SequenceNr, e.Message, e);
            }
            var (manifest, bytes) = (serialized.Manifest, serialized.Bytes);
            foreach (var tag in repr.Tags)
            {
                if (string.IsNullOrWhiteSpace(tag) || tag.Contains(',') || tag.Trim() != tag)
                    throw new EventRejectedException(repr.PersistenceId, repr.SequenceNr,
                        $"tag '{tag}' is invalid: tags must be non-empty, without commas or surrounding whitespace");
            }
            var timestamp = repr.Timestamp == default ? now : repr.Timestamp.ToUniversalTime().Ticks;
            encoded[i] = new EncodedEvent(repr.PersistenceId, repr.SequenceNr, manifest, bytes, repr.Tags.Distinct().ToArray(), timestamp);
        }
        return encoded;
    }

    public async Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        ArgumentNullException.ThrowIfNull(recoveryCallback);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var remaining = max;
        var from = fromSequenceNr;
        while (remaining > 0 && from <= toSequenceNr)
        {
            var page = (int)Math.Min(remaining, context.Settings.ReadPageSize);
            var rows = await ReadPageAsync(persistenceId, from, toSequenceNr, page, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows) recoveryCallback(ToRepr(row, context.Serializer));
            if (rows.Count < page) return;
            remaining -= rows.Count;
            from = rows[^1].SequenceNr + 1;
        }
    }

    private async Task<List<JournalRow>> ReadPageAsync(string persistenceId, long from, long to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
                $"SELECT {JournalRow.Columns} FROM {_tables.Journal} WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to AND deleted = FALSE ORDER BY sequence_nr LIMIT @limit")
            .With("@pid", persistenceId).With("@from", from).With("@to", to).With("@limit", (long)limit);
        var rows = new List<JournalRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(JournalRow.Read(reader));
        return rows;
    }

    internal static PersistentRepr ToRepr(JournalRow row, EventSerializer serializer) =>
        new(Decode(row, serializer), row.PersistenceId, row.SequenceNr)
        {
            Manifest = row.Manifest,
            Tags = row.Tags,
            Timestamp = row.Timestamp,
            WriterId = row.WriterId,
            WriterEpoch = row.WriterEpoch,
            IsDeleted = row.Deleted,
        };

    internal static object Decode(JournalRow row, EventSerializer serializer)
    {
        try
        {
            return serializer.Deserialize(row.Manifest, row.Payload);
        }
        catch (EventSerializationException e)
        {
            throw new EventDecodingException(row.PersistenceId, row.SequenceNr, row.Manifest, e);
        }
    }

    public async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Deleted rows stay in the table, so the maximum never goes down after a delete.
        await using var command = connection.Command($"SELECT COALESCE(MAX(sequence_nr), 0) FROM {_tables.Journal} WHERE persistence_id = @pid")
            .With("@pid", persistenceId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await context.Database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(
                    $"UPDATE {_tables.Journal} SET deleted = TRUE WHERE persistence_id = @pid AND sequence_nr <= @to AND deleted = FALSE", transaction)
                .With("@pid", persistenceId).With("@to", toSequenceNr);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
