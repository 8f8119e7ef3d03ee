using System.Data.Common;
using System.Text;
using HueyP.Persistence.Integrity;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Journal;

/// <summary>An event ready for the database: serialized, validated, waiting for its hash.</summary>
internal sealed class EncodedEvent(string persistenceId, long sequenceNr, string manifest, byte[] payload, IReadOnlyList<string> tags, long timestampTicks)
{
    public string PersistenceId { get; } = persistenceId;
    public long SequenceNr { get; } = sequenceNr;
    public string Manifest { get; } = manifest;
    public byte[] Payload { get; } = payload;
    public IReadOnlyList<string> Tags { get; } = tags;
    public long TimestampTicks { get; } = timestampTicks;
    public byte[] Hash { get; set; } = [];
}

/// <summary>The last link of a persistence id's hash chain.</summary>
internal readonly record struct ChainTip(long SequenceNr, byte[] Hash);

/// <summary>Writes already-encoded atomic writes inside a caller's transaction: hash chain, multi-row inserts, tags, notify.</summary>
internal sealed class EventInserter(SqlDatabase database, JournalSettings settings)
{
    private readonly TableNames _tables = database.Tables;
    private readonly List<EncodedEvent> _events = [];
    private readonly Dictionary<string, long> _projected = new();
    private readonly List<(string PersistenceId, long SequenceNr)> _missing = [];
    // SQLite without a fence (a fence is a predicate in the INSERT): rows through SQLite's own API.
    private readonly Sqlite.SqliteEventRows? _sqliteRows = database is Sqlite.SqliteDatabase sqlite ? new Sqlite.SqliteEventRows(sqlite, settings) : null;

    /// <summary>
    /// Inserts the writes in order. tips holds chain tips known to be committed or written earlier in this transaction;
    /// it is updated with the new tips (the caller only keeps them if the transaction commits).
    /// </summary>
    public async Task InsertAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<EncodedEvent[]> writes,
        Dictionary<string, ChainTip> tips, CancellationToken cancellationToken)
    {
        await LoadMissingTipsAsync(connection, transaction, writes, tips, cancellationToken).ConfigureAwait(false);
        // Reused: the journal's single writer inserts one batch at a time.
        var events = _events;
        events.Clear();
        foreach (var write in writes)
        {
            foreach (var e in write)
            {
                var previous = tips.TryGetValue(e.PersistenceId, out var tip) && tip.SequenceNr == e.SequenceNr - 1 ? tip.Hash : [];
                e.Hash = EventHash.Compute(e.PersistenceId, e.SequenceNr, e.Manifest, e.Payload, previous);
                tips[e.PersistenceId] = new ChainTip(e.SequenceNr, e.Hash);
                events.Add(e);
            }
        }

        // One epoch for the whole transaction: a fence closing between two statements must not split a batch into
        // a part written under the old epoch and a part rejected (the rejection rolls everything back anyway).
        var epoch = settings.WriteFence?.CurrentEpoch ?? settings.WriterEpoch;
        if (_sqliteRows is not null && settings.WriteFence is null)
            _sqliteRows.Insert(connection, events, epoch);
        else
            await InsertStatementsAsync(connection, transaction, events, epoch, cancellationToken).ConfigureAwait(false);

        if (database.NotifyStatement is { } notify)
        {
            await using var command = connection.Command(notify, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Events and their tags as multi-row INSERT statements (PostgreSQL; fenced SQLite).</summary>
    private async Task InsertStatementsAsync(DbConnection connection, DbTransaction? transaction, List<EncodedEvent> events, long epoch,
        CancellationToken cancellationToken)
    {
        var orderings = new Dictionary<(string, long), long>();
        foreach (var chunk in events.Chunk(RowsPerStatement))
            await InsertRowsAsync(connection, transaction, chunk, epoch, orderings, cancellationToken).ConfigureAwait(false);

        var tagRows = events.SelectMany(e => e.Tags.Select(tag => (Tag: tag, Ordering: orderings[(e.PersistenceId, e.SequenceNr)]))).ToList();
        foreach (var chunk in tagRows.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder($"INSERT INTO {_tables.Tags} (tag, ordering) VALUES ");
            await using var command = connection.Command("", transaction);
            for (var i = 0; i < chunk.Length; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append($"(@t{i}, @o{i})");
                command.With($"@t{i}", chunk[i].Tag).With($"@o{i}", chunk[i].Ordering);
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Fenced writes on SQLite still go through Microsoft.Data.Sqlite (the fence is a predicate in the INSERT), which
    /// binds every named parameter by searching the statement's parameter names one by one: a statement's binding cost
    /// grows with the square of its rows, so past a few rows more statements of fewer rows are cheaper (100 rows per
    /// statement measured 3x slower per row than 8). PostgreSQL keeps the configured size: there each statement is a
    /// round trip.
    /// </summary>
    private const int SqliteRowsPerStatement = 8;

    private int RowsPerStatement => Math.Max(1, database.Provider == JournalProvider.Sqlite
        ? Math.Min(settings.MaxRowsPerStatement, SqliteRowsPerStatement)
        : settings.MaxRowsPerStatement);

    // Insert statements by row count, reused while the connection is the same (SQLite's one writer connection):
    // building and preparing a statement with thousands of parameters costs more than running it.
    private readonly Dictionary<(int Rows, bool Returning), InsertCommand> _insertCommands = new();
    private DbConnection? _insertConnection;

    private sealed class InsertCommand(DbCommand command, DbParameter[] rowParameters, DbParameter epoch)
    {
        public DbCommand Command { get; } = command;
        public DbParameter[] RowParameters { get; } = rowParameters;
        public DbParameter Epoch { get; } = epoch;
    }

    private const int ParametersPerRow = 7;

    private InsertCommand GetInsertCommand(DbConnection connection, int rows, bool returning)
    {
        if (!ReferenceEquals(connection, _insertConnection))
        {
            foreach (var cached in _insertCommands.Values) cached.Command.Dispose();
            _insertCommands.Clear();
            _insertConnection = connection;
        }
        if (_insertCommands.TryGetValue((rows, returning), out var existing)) return existing;

        var fence = settings.WriteFence;
        var values = new StringBuilder();
        var command = connection.CreateCommand();
        var rowParameters = new DbParameter[rows * ParametersPerRow];
        for (var i = 0; i < rows; i++)
        {
            values.Append(i == 0 ? "" : ", ").Append($"(@pid{i}, @seq{i}, @man{i}, @pay{i}, @tags{i}, @ts{i}, @writer_id, @writer_epoch, FALSE, @hash{i})");
            var names = new[] { "pid", "seq", "man", "pay", "tags", "ts", "hash" };
            for (var f = 0; f < ParametersPerRow; f++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@{names[f]}{i}";
                command.Parameters.Add(parameter);
                rowParameters[i * ParametersPerRow + f] = parameter;
            }
        }
        // @writer_epoch is bound per statement (InsertRowsAsync); the fence predicate compares it with the lease.
        command.With("@writer_id", settings.WriterId).With("@writer_epoch", settings.WriterEpoch);
        var epoch = command.Parameters["@writer_epoch"];
        const string columns = "persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash";
        // Orderings come back only when tag rows need them; otherwise the affected-row count is all we check.
        var returningClause = returning ? " RETURNING ordering, persistence_id, sequence_nr" : "";
        command.CommandText = fence is null
            ? $"INSERT INTO {_tables.Journal} ({columns}) VALUES {values}{returningClause}"
            : $"INSERT INTO {_tables.Journal} ({columns}) SELECT * FROM (VALUES {values}) AS fenced_rows WHERE ({fence.SqlPredicate(database.Provider)}){returningClause}";
        var insert = new InsertCommand(command, rowParameters, epoch);
        // Only SQLite hands us the same connection object again; PostgreSQL's pooled connections are new objects
        // (Npgsql's auto-prepare reuses the server-side statement by its text instead).
        if (database.Provider == JournalProvider.Sqlite) _insertCommands[(rows, returning)] = insert;
        return insert;
    }

    private async Task InsertRowsAsync(DbConnection connection, DbTransaction? transaction, EncodedEvent[] rows, long epoch,
        Dictionary<(string, long), long> orderings, CancellationToken cancellationToken)
    {
        var returning = rows.Any(e => e.Tags.Count > 0);
        var insert = GetInsertCommand(connection, rows.Length, returning);
        var command = insert.Command;
        command.Transaction = transaction;
        var parameters = insert.RowParameters;
        var p = 0;
        foreach (var e in rows)
        {
            parameters[p++].Value = e.PersistenceId;
            parameters[p++].Value = e.SequenceNr;
            parameters[p++].Value = e.Manifest;
            parameters[p++].Value = e.Payload;
            parameters[p++].Value = e.Tags.Count == 0 ? "" : JournalRow.EncodeTags(e.Tags);
            parameters[p++].Value = e.TimestampTicks;
            parameters[p++].Value = e.Hash;
        }
        insert.Epoch.Value = epoch;
        var inserted = 0;
        try
        {
            if (!returning)
            {
                inserted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    orderings[(reader.GetString(1), reader.GetInt64(2))] = reader.GetInt64(0);
                    inserted++;
                }
            }
        }
        finally
        {
            if (!_insertCommands.ContainsValue(insert)) await command.DisposeAsync().ConfigureAwait(false);
            else command.Transaction = null;
        }
        if (inserted != rows.Length) throw new WriteFencedException(settings.WriterId, epoch);
    }

    private async Task LoadMissingTipsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<EncodedEvent[]> writes,
        Dictionary<string, ChainTip> tips, CancellationToken cancellationToken)
    {
        var projected = _projected;
        var missing = _missing;
        projected.Clear();
        missing.Clear();
        foreach (var write in writes)
        {
            var pid = write[0].PersistenceId;
            var previous = write[0].SequenceNr - 1;
            var known = previous == 0
                || (projected.TryGetValue(pid, out var last) && last == previous)
                || (tips.TryGetValue(pid, out var tip) && tip.SequenceNr == previous);
            if (!known && !missing.Contains((pid, previous))) missing.Add((pid, previous));
            projected[pid] = write[^1].SequenceNr;
        }
        foreach (var chunk in missing.Chunk(200))
        {
            var where = new StringBuilder();
            await using var command = connection.Command("", transaction);
            for (var i = 0; i < chunk.Length; i++)
            {
                where.Append(i == 0 ? "" : " OR ").Append($"(persistence_id = @pid{i} AND sequence_nr = @seq{i})");
                command.With($"@pid{i}", chunk[i].PersistenceId).With($"@seq{i}", chunk[i].SequenceNr);
            }
            command.CommandText = $"SELECT persistence_id, sequence_nr, hash FROM {_tables.Journal} WHERE {where}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                tips[reader.GetString(0)] = new ChainTip(reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
        }
    }

    /// <summary>Which event of the write collides with a stored row, and who wrote that row.</summary>
    public async Task<JournalConflictException> DescribeConflictAsync(DbConnection connection, DbTransaction transaction, EncodedEvent[][] writes,
        Exception cause, CancellationToken cancellationToken)
    {
        foreach (var e in writes.SelectMany(w => w))
        {
            await using var command = connection.Command(
                    $"SELECT writer_id FROM {_tables.Journal} WHERE persistence_id = @pid AND sequence_nr = @seq", transaction)
                .With("@pid", e.PersistenceId).With("@seq", e.SequenceNr);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string writer)
                return new JournalConflictException(e.PersistenceId, e.SequenceNr, writer, cause);
        }
        var first = writes[0][0];
        return new JournalConflictException(first.PersistenceId, first.SequenceNr, null, cause);
    }
}
