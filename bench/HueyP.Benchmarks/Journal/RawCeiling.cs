using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace HueyP.Benchmarks.Journal;

/// <summary>
/// The ceiling: plain ADO.NET, a 100-row multi-row INSERT per transaction into a table shaped like event_journal,
/// on the same database file / server with the same pragmas. One command object is built once and reused with new
/// parameter values (what a careful hand-written loop would do); no explicit Prepare on PostgreSQL.
/// </summary>
internal sealed class RawCeiling : IAsyncDisposable
{
    private const string Columns = "persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash";
    private readonly DbConnection _connection;
    private readonly string _table;
    private readonly bool _postgres;
    private readonly Dictionary<int, DbCommand> _commands = new();
    private readonly byte[] _payload = Encoding.UTF8.GetBytes("{\"N\":12345}");
    private readonly byte[] _hash = RandomNumberGenerator.GetBytes(32);
    private long _sequenceNr;
    private int _run;

    private RawCeiling(DbConnection connection, string table, bool postgres)
    {
        _connection = connection;
        _table = table;
        _postgres = postgres;
    }

    public static async Task<RawCeiling> OpenSqliteAsync(string path, string synchronous)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await ExecAsync(connection, $"PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};");
        await ExecAsync(connection, """
            CREATE TABLE IF NOT EXISTS raw_journal (
                ordering       INTEGER PRIMARY KEY AUTOINCREMENT,
                persistence_id TEXT    NOT NULL,
                sequence_nr    INTEGER NOT NULL,
                manifest       TEXT    NOT NULL,
                payload        BLOB    NOT NULL,
                tags           TEXT    NOT NULL DEFAULT '',
                timestamp      INTEGER NOT NULL,
                writer_id      TEXT    NOT NULL,
                writer_epoch   INTEGER NOT NULL,
                deleted        INTEGER NOT NULL DEFAULT 0,
                hash           BLOB    NOT NULL,
                UNIQUE (persistence_id, sequence_nr)
            );
            """);
        return new RawCeiling(connection, "raw_journal", postgres: false);
    }

    public static async Task<RawCeiling> OpenPostgresAsync(string connectionString, string schema)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var table = $"\"{schema}\".raw_journal";
        await ExecAsync(connection, $"""
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE IF NOT EXISTS {table} (
                ordering       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                persistence_id TEXT    NOT NULL,
                sequence_nr    BIGINT  NOT NULL,
                manifest       TEXT    NOT NULL,
                payload        BYTEA   NOT NULL,
                tags           TEXT    NOT NULL DEFAULT '',
                timestamp      BIGINT  NOT NULL,
                writer_id      TEXT    NOT NULL,
                writer_epoch   BIGINT  NOT NULL,
                deleted        BOOLEAN NOT NULL DEFAULT FALSE,
                hash           BYTEA   NOT NULL,
                UNIQUE (persistence_id, sequence_nr)
            );
            """);
        return new RawCeiling(connection, table, postgres: true);
    }

    /// <summary>Rows per second inserting rowsPerTransaction rows per transaction for about duration.</summary>
    public async Task<double> MeasureAsync(int rowsPerTransaction, TimeSpan duration)
    {
        var pid = $"raw-{rowsPerTransaction}-{_run++}";
        _sequenceNr = 0;
        var command = Command(rowsPerTransaction);
        long rows = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            await using var transaction = await _connection.BeginTransactionAsync();
            command.Transaction = transaction;
            var p = 0;
            var ticks = DateTime.UtcNow.Ticks;
            for (var i = 0; i < rowsPerTransaction; i++)
            {
                command.Parameters[p++].Value = pid;
                command.Parameters[p++].Value = ++_sequenceNr;
                command.Parameters[p++].Value = BenchSerializer.Manifest;
                command.Parameters[p++].Value = _payload;
                command.Parameters[p++].Value = "";
                command.Parameters[p++].Value = ticks;
                command.Parameters[p++].Value = "bench";
                command.Parameters[p++].Value = 0L;
                command.Parameters[p++].Value = _hash;
            }
            await command.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
            rows += rowsPerTransaction;
        }
        return rows / sw.Elapsed.TotalSeconds;
    }

    private DbCommand Command(int rows)
    {
        if (_commands.TryGetValue(rows, out var existing)) return existing;
        var command = _connection.CreateCommand();
        var sql = new StringBuilder($"INSERT INTO {_table} ({Columns}) VALUES ");
        var deleted = _postgres ? "FALSE" : "0";
        for (var i = 0; i < rows; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append($"(@pid{i}, @seq{i}, @man{i}, @pay{i}, @tags{i}, @ts{i}, @w{i}, @e{i}, {deleted}, @hash{i})");
            foreach (var name in new[] { "pid", "seq", "man", "pay", "tags", "ts", "w", "e", "hash" })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@{name}{i}";
                command.Parameters.Add(parameter);
            }
        }
        command.CommandText = sql.ToString();
        _commands[rows] = command;
        return command;
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values) await command.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
