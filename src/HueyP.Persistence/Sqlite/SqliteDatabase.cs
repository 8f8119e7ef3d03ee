using System.Data.Common;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Migrations;
using HueyP.Persistence.Storage;
using Microsoft.Data.Sqlite;

namespace HueyP.Persistence.Sqlite;

/// <summary>
/// One dedicated writer connection (SQLite allows one writer at a time anyway) guarded by a gate so the
/// group-commit writer, deletes and snapshot writes take turns; readers use separate pooled connections,
/// which WAL mode lets run alongside the writer.
/// </summary>
internal sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;
    private readonly JournalSettings _settings;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    // WAL checkpoints run on a background connection, not inside the commit that happens to cross the
    // auto-checkpoint threshold: a checkpoint copies pages and fsyncs the database file, which put milliseconds
    // into one unlucky write's latency. Commits still wait for exactly what they did before (their own WAL append,
    // and in FULL mode its fsync). Even in the background a checkpoint's fsync competes with the commits for the disk
    // and the two cores: at one per 100 ms they set the order round trip's p99 (5.7/3.3/4.5 ms against 3.0/2.3/2.3 ms
    // at one per second, `scripts/bench.sh orders`). A second's worth of WAL is small.
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);
    private readonly SemaphoreSlim _checkpointSignal = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _checkpointer;

    // Statements prepared once on the writer connection (see SqliteEventRows); finalized before it closes.
    private readonly Dictionary<string, SQLitePCL.sqlite3_stmt> _prepared = new(StringComparer.Ordinal);
    private SqliteConnection? _preparedOn;

    public SqliteDatabase(JournalSettings settings)
    {
        _settings = settings;
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(settings.ConnectionString ?? "");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new JournalConfigurationException(nameof(JournalSettings.ConnectionString), $"not a valid SQLite connection string: {e.Message}", e);
        }
        if (!string.IsNullOrWhiteSpace(settings.Path)) builder.DataSource = settings.Path;
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new JournalConfigurationException(nameof(JournalSettings.Path), "the SQLite journal needs a database file path (Path, or Data Source in ConnectionString)");
        if (builder.DataSource != ":memory:")
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(builder.DataSource));
            if (directory is not null && !Directory.Exists(directory))
                throw new JournalConfigurationException(nameof(JournalSettings.Path), $"directory '{directory}' does not exist");
        }
        builder.Pooling = true;
        builder.DefaultTimeout = Math.Max(1, (int)settings.SqliteBusyTimeout.TotalSeconds);
        _connectionString = builder.ToString();
        FilePath = builder.DataSource;
    }

    public string FilePath { get; }
    public override JournalProvider Provider => JournalProvider.Sqlite;
    public override TableNames Tables { get; } = new("event_journal", "event_tag", "snapshot_store", "schema_version");
    public override IReadOnlyList<Migration> Migrations => SqliteMigrations.All;

    public override async Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {(long)_settings.SqliteBusyTimeout.TotalMilliseconds};", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        OnWriterAsync(async connection =>
        {
            // BEGIN IMMEDIATE: take the write lock up front, so another process's writer makes us wait
            // (busy_timeout) instead of failing half way through the transaction.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>
    /// The journal writer's transaction, begun and committed through statements prepared once on the writer connection
    /// (BEGIN IMMEDIATE, COMMIT, ROLLBACK): Microsoft.Data.Sqlite's transaction object prepares and runs a new command
    /// for each, which cost more than a small batch's inserts. The transaction belongs to the connection, so work
    /// gets no transaction object (its commands need none). Same locking, atomicity and rollback as <see cref="WriteAsync{T}"/>.
    /// </summary>
    public override Task<T> WriteBatchAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        OnWriterAsync(async connection =>
        {
            var handle = connection.Handle ?? throw new InvalidOperationException("the SQLite writer connection is not open");
            Run(connection, "BEGIN IMMEDIATE;");
            try
            {
                var result = await work(connection, null).ConfigureAwait(false);
                Run(connection, "COMMIT;");
                return result;
            }
            catch
            {
                // Still inside the transaction (work or COMMIT failed): nothing of it may stay. The original error
                // is what the caller must see (a unique violation is retried one write at a time), so a failed
                // rollback closes the connection instead, which discards the transaction; the next write reopens.
                if (SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0 && !TryRun(connection, "ROLLBACK;")) connection.Close();
                throw;
            }
        }, cancellationToken);

    /// <summary>
    /// Runs one transaction on the writer connection, one at a time; a commit asks for a background checkpoint, and a
    /// connection the failure closed is dropped (with its prepared statements) so the next write opens a fresh one.
    /// </summary>
    private async Task<T> OnWriterAsync<T>(Func<SqliteConnection, Task<T>> transact, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = _writer ??= await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await transact(connection).ConfigureAwait(false);
                RequestCheckpoint();
                return result;
            }
            catch
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    _writer = null;
                    FinalizePrepared();
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                throw;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private bool TryRun(SqliteConnection connection, string sql)
    {
        try
        {
            Run(connection, sql);
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    private void Run(SqliteConnection connection, string sql)
    {
        var statement = Prepared(connection, sql);
        var rc = SQLitePCL.raw.sqlite3_step(statement);
        SQLitePCL.raw.sqlite3_reset(statement);
        if (rc != SQLitePCL.raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>
    /// The statement for <paramref name="sql"/> prepared on the writer connection, reused across transactions. Only
    /// inside <see cref="WriteAsync{T}"/>'s work, which holds the write gate.
    /// </summary>
    internal SQLitePCL.sqlite3_stmt Prepared(DbConnection connection, string sql)
    {
        var sqlite = (SqliteConnection)connection;
        if (!ReferenceEquals(sqlite, _preparedOn))
        {
            FinalizePrepared();
            _preparedOn = sqlite;
        }
        if (_prepared.TryGetValue(sql, out var statement)) return statement;
        var rc = SQLitePCL.raw.sqlite3_prepare_v2(sqlite.Handle, sql, out statement);
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, sqlite.Handle);
        }
        _prepared[sql] = statement;
        return statement;
    }

    private void FinalizePrepared()
    {
        foreach (var statement in _prepared.Values) statement.Dispose();
        _prepared.Clear();
        _preparedOn = null;
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        // The writer is not pooled: it lives as long as the journal, and its pragmas must stick to it.
        var builder = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var synchronous = _settings.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
            await ExecuteAsync(connection,
                $"PRAGMA busy_timeout = {(long)_settings.SqliteBusyTimeout.TotalMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA wal_autocheckpoint = 0;",
                cancellationToken).ConfigureAwait(false);
            _checkpointer ??= Task.Run(CheckpointLoopAsync);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void RequestCheckpoint()
    {
        if (_checkpointSignal.CurrentCount == 0)
        {
            try { _checkpointSignal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    private async Task CheckpointLoopAsync()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                await _checkpointSignal.WaitAsync(_stopping.Token).ConfigureAwait(false);
                try
                {
                    if (connection is null)
                    {
                        connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
                        await connection.OpenAsync(_stopping.Token).ConfigureAwait(false);
                        await ExecuteAsync(connection, $"PRAGMA synchronous = {(_settings.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")};", _stopping.Token).ConfigureAwait(false);
                    }

                    // PASSIVE: copies what it can without waiting for readers or the writer; never blocks a commit.
                    await ExecuteAsync(connection, "PRAGMA wal_checkpoint(PASSIVE);", _stopping.Token).ConfigureAwait(false);
                    // At most one checkpoint per interval, however many commits asked for one meanwhile.
                    await Task.Delay(CheckpointInterval, _stopping.Token).ConfigureAwait(false);
                }
                catch (SqliteException)
                {
                    // Busy or transient: the next signal tries again. The WAL just grows meanwhile.
                    if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override async Task PrepareMigrationsAsync(CancellationToken cancellationToken) =>
        await WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(SqliteMigrations.SchemaVersionTable, transaction);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    public override Task<long> GetSizeBytesAsync(CancellationToken cancellationToken)
    {
        long size = 0;
        foreach (var suffix in new[] { "", "-wal" })
        {
            var file = new FileInfo(FilePath + suffix);
            if (file.Exists) size += file.Length;
        }
        return Task.FromResult(size);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_checkpointer is not null) await _checkpointer.ConfigureAwait(false);
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            FinalizePrepared();
            if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
            _writer = null;
            // Pooled readers keep the file open; release them so the file can be moved or deleted.
            using var probe = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(probe);
        }
        finally
        {
            _writeGate.Release();
        }
    }
}
