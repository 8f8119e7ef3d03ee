using System.Data.Common;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Snapshots;

internal sealed class SqlSnapshotStore(StoreContext context) : ISnapshotStore
{
    private readonly TableNames _tables = context.Database.Tables;

    private const string CriteriaSql =
        "persistence_id = @pid AND sequence_nr <= @max_seq AND timestamp <= @max_ts AND sequence_nr >= @min_seq AND timestamp >= @min_ts";

    public async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(snapshot);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        string manifest;
        byte[] bytes;
        try
        {
            (manifest, bytes) = context.Serializer.Serialize(snapshot);
        }
        catch (EventSerializationException e)
        {
            throw new EventRejectedException(metadata.PersistenceId, metadata.SequenceNr, $"snapshot {e.Message}", e);
        }
        var timestamp = metadata.Timestamp == default ? context.Settings.Clock.GetUtcNow().UtcDateTime : metadata.Timestamp.ToUniversalTime();
        await context.Database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command($"""
                    INSERT INTO {_tables.Snapshots} (persistence_id, sequence_nr, timestamp, manifest, payload)
                    VALUES (@pid, @seq, @ts, @manifest, @payload)
                    ON CONFLICT (persistence_id, sequence_nr)
                    DO UPDATE SET timestamp = excluded.timestamp, manifest = excluded.manifest, payload = excluded.payload
                    """, transaction)
                .With("@pid", metadata.PersistenceId).With("@seq", metadata.SequenceNr).With("@ts", timestamp.Ticks)
                .With("@manifest", manifest).With("@payload", bytes);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await LoadAsync(connection, persistenceId, criteria, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Load on a connection the caller opened (recovery reads snapshot and events on one connection).</summary>
    internal async Task<SelectedSnapshot?> LoadAsync(System.Data.Common.DbConnection connection, string persistenceId, SnapshotSelectionCriteria criteria,
        CancellationToken cancellationToken)
    {
        await using var command = Bind(connection.Command(
                $"SELECT sequence_nr, timestamp, manifest, payload FROM {_tables.Snapshots} WHERE {CriteriaSql} ORDER BY sequence_nr DESC, timestamp DESC LIMIT 1"),
            persistenceId, criteria);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var sequenceNr = reader.GetInt64(0);
        var manifest = reader.GetString(2);
        object snapshot;
        try
        {
            snapshot = context.Serializer.Deserialize(manifest, reader.GetFieldValue<byte[]>(3));
        }
        catch (EventSerializationException e)
        {
            throw new EventDecodingException(persistenceId, sequenceNr, manifest, e);
        }
        return new SelectedSnapshot(new SnapshotMetadata(persistenceId, sequenceNr, new DateTime(reader.GetInt64(1), DateTimeKind.Utc)), snapshot);
    }

    public async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await context.Database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command($"DELETE FROM {_tables.Snapshots} WHERE persistence_id = @pid AND sequence_nr = @seq", transaction)
                .With("@pid", metadata.PersistenceId).With("@seq", metadata.SequenceNr);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        ArgumentNullException.ThrowIfNull(criteria);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await context.Database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = Bind(connection.Command($"DELETE FROM {_tables.Snapshots} WHERE {CriteriaSql}", transaction), persistenceId, criteria);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Bind(DbCommand command, string persistenceId, SnapshotSelectionCriteria criteria) =>
        command.With("@pid", persistenceId)
            .With("@max_seq", criteria.MaxSequenceNr)
            .With("@max_ts", Ticks(criteria.MaxTimestamp))
            .With("@min_seq", criteria.MinSequenceNr)
            .With("@min_ts", Ticks(criteria.MinTimestamp));

    private static long Ticks(DateTime timestamp) =>
        timestamp == DateTime.MaxValue || timestamp == DateTime.MinValue || timestamp.Kind != DateTimeKind.Local
            ? timestamp.Ticks
            : timestamp.ToUniversalTime().Ticks;
}
