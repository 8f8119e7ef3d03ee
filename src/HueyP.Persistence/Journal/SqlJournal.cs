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
        var (accepted, results) = EncodeAll(messages);
        if (accepted.Count > 0) await _writer.WriteAsync(accepted.ToArray(), cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// A persistent actor's write: as <see cref="WriteMessagesAsync"/>, but the task completes on the journal writer's
    /// thread (<see cref="GroupCommitWriter.WriteInlineAsync"/>), so its continuations must be quick and never wait.
    /// </summary>
    internal Task<IReadOnlyList<Exception?>> WriteMessagesInlineAsync(IReadOnlyList<AtomicWrite> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var initialized = context.EnsureInitializedAsync(CancellationToken.None);
        if (!initialized.IsCompletedSuccessfully) return WriteMessagesAsync(messages);
        try
        {
            var (accepted, results) = EncodeAll(messages);
            return accepted.Count == 0
                ? Task.FromResult<IReadOnlyList<Exception?>>(results)
                : _writer.WriteInlineAsync(accepted.ToArray(), results);
        }
        catch (Exception e)
        {
            // As from the async path: a failed write is a faulted task, never an exception in the caller's handler.
            return Task.FromException<IReadOnlyList<Exception?>>(e);
        }
    }

    /// <summary>The writes that encode, and per write either null or why it was rejected (it is then not written).</summary>
    private (List<EncodedEvent[]> Accepted, Exception?[] Results) EncodeAll(IReadOnlyList<AtomicWrite> messages)
    {
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
        return (accepted, results);
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
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ReplayAsync(connection, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback, decode: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Recovery's read: replays everything from fromSequenceNr, then reads the highest sequence number, on one
    /// connection (a persistent actor needs both; opening a connection per step dominated recovering many small actors).
    /// </summary>
    /// <remarks>
    /// Payloads arrive as <see cref="UndecodedPayload"/> with only the sequence number set: the actor decodes them,
    /// so reading (here) and decoding (on the actor) run on different cores.
    /// </remarks>
    internal async Task<long> ReplayAndReadHighestAsync(System.Data.Common.DbConnection connection, string persistenceId, long fromSequenceNr,
        Action<PersistentRepr> recoveryCallback, CancellationToken cancellationToken = default)
    {
        await ReplayAsync(connection, persistenceId, fromSequenceNr, long.MaxValue, long.MaxValue, recoveryCallback, decode: false, cancellationToken).ConfigureAwait(false);
        return await ReadHighestAsync(connection, persistenceId, cancellationToken).ConfigureAwait(false);
    }

    // One command reused for every page (prepared once on SQLite); only the columns a PersistentRepr needs; each row
    // decoded and handed over as it is read rather than collected per page first.
    private async Task ReplayAsync(System.Data.Common.DbConnection connection, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<PersistentRepr> recoveryCallback, bool decode, CancellationToken cancellationToken)
    {
        var remaining = max;
        var from = fromSequenceNr;
        await using var command = connection.Command(
                $"SELECT sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch FROM {_tables.Journal} WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to AND deleted = FALSE ORDER BY sequence_nr LIMIT @limit")
            .With("@pid", persistenceId).With("@from", from).With("@to", toSequenceNr).With("@limit", 0L);
        var fromParameter = command.Parameters["@from"];
        var limitParameter = command.Parameters["@limit"];
        var serializer = context.Serializer;
        string lastManifest = "", lastWriter = "";
        while (remaining > 0 && from <= toSequenceNr)
        {
            var page = (int)Math.Min(remaining, context.Settings.ReadPageSize);
            fromParameter.Value = from;
            limitParameter.Value = (long)page;
            var count = 0;
            var last = from - 1;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var sequenceNr = reader.GetInt64(0);
                    var manifest = reader.GetString(1);
                    if (manifest == lastManifest) manifest = lastManifest; else lastManifest = manifest;
                    var payload = reader.GetFieldValue<byte[]>(2);
                    if (!decode)
                    {
                        recoveryCallback(new PersistentRepr(new UndecodedPayload(manifest, payload), persistenceId, sequenceNr));
                        count++;
                        last = sequenceNr;
                        continue;
                    }

                    var writer = reader.GetString(5);
                    if (writer == lastWriter) writer = lastWriter; else lastWriter = writer;
                    object decoded;
                    try
                    {
                        decoded = serializer.Deserialize(manifest, payload);
                    }
                    catch (EventSerializationException e)
                    {
                        throw new EventDecodingException(persistenceId, sequenceNr, manifest, e);
                    }
                    recoveryCallback(new PersistentRepr(decoded, persistenceId, sequenceNr)
                    {
                        Manifest = manifest,
                        Tags = JournalRow.DecodeTags(reader.GetString(3)),
                        Timestamp = new DateTime(reader.GetInt64(4), DateTimeKind.Utc),
                        WriterId = writer,
                        WriterEpoch = reader.GetInt64(6),
                    });
                    count++;
                    last = sequenceNr;
                }
            }
            if (count < page) return;
            remaining -= count;
            from = last + 1;
        }
    }

    /// <summary>Decodes an <see cref="UndecodedPayload"/> the way replay would have.</summary>
    internal static object Decode(string persistenceId, long sequenceNr, UndecodedPayload undecoded, EventSerializer serializer)
    {
        try
        {
            return serializer.Deserialize(undecoded.Manifest, undecoded.Bytes);
        }
        catch (EventSerializationException e)
        {
            throw new EventDecodingException(persistenceId, sequenceNr, undecoded.Manifest, e);
        }
    }

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
        return await ReadHighestAsync(connection, persistenceId, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<long> ReadHighestAsync(System.Data.Common.DbConnection connection, string persistenceId, CancellationToken cancellationToken)
    {
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

/// <summary>A replayed payload still in its stored form; the persistent actor decodes it on its own thread.</summary>
internal sealed record UndecodedPayload(string Manifest, byte[] Bytes);
