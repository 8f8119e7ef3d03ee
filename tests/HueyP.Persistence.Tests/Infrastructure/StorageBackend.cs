using Microsoft.Data.Sqlite;
using Npgsql;

namespace HueyP.Persistence.Tests.Infrastructure;

/// <summary>A private, empty database for one test: a temp SQLite file, or a fresh schema on the test PostgreSQL server.</summary>
public abstract class StorageBackend : IAsyncDisposable
{
    public abstract JournalProvider Provider { get; }

    /// <summary>Settings for a store on this test's database.</summary>
    public abstract JournalSettings Settings { get; }

    /// <summary>A table name as raw SQL must spell it.</summary>
    public abstract string Table(string name);

    /// <summary>Runs raw SQL behind the journal's back (tampering, sabotage), returning the first column of the first row if any.</summary>
    public abstract Task<object?> ExecuteAsync(string sql);

    /// <summary>SQL expression for the UTF-8 bytes of text (to forge a payload).</summary>
    public abstract string Utf8Bytes(string text);

    /// <summary>Makes every insert of this persistence id fail the whole transaction, like a failing disk would.</summary>
    public abstract Task InstallFailingTriggerAsync(string persistenceId, string message);

    public abstract ValueTask DisposeAsync();
}

public sealed class SqliteBackend : StorageBackend
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hueyp-persist-").FullName;

    public string DatabasePath => System.IO.Path.Combine(_directory, "journal.db");
    public override JournalProvider Provider => JournalProvider.Sqlite;
    public override JournalSettings Settings => new() { Provider = JournalProvider.Sqlite, Path = DatabasePath, QueryPollInterval = TimeSpan.FromMilliseconds(50) };
    public override string Table(string name) => name;

    public override async Task<object?> ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 10000";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public override string Utf8Bytes(string text) => $"CAST('{text}' AS BLOB)";

    public override Task InstallFailingTriggerAsync(string persistenceId, string message) =>
        ExecuteAsync($"""
            CREATE TRIGGER fail_{persistenceId} BEFORE INSERT ON event_journal
            WHEN NEW.persistence_id = '{persistenceId}'
            BEGIN SELECT RAISE(ABORT, '{message}'); END;
            """);

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}

public sealed class PostgreSqlBackend : StorageBackend
{
    private readonly string _connectionString;
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");

    public PostgreSqlBackend()
    {
        _connectionString = PostgreSqlEnvironment.ConnectionString ?? throw new InvalidOperationException(PostgreSqlEnvironment.Missing);
    }

    public override JournalProvider Provider => JournalProvider.PostgreSql;

    public override JournalSettings Settings => new()
    {
        Provider = JournalProvider.PostgreSql,
        ConnectionString = _connectionString,
        Schema = _schema,
        QueryPollInterval = TimeSpan.FromMilliseconds(50),
    };

    public override string Table(string name) => $"\"{_schema}\".{name}";

    public override async Task<object?> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public override string Utf8Bytes(string text) => $"convert_to('{text}', 'UTF8')";

    public string ConnectionString => _connectionString;

    public override Task InstallFailingTriggerAsync(string persistenceId, string message) =>
        ExecuteAsync($"""
            CREATE FUNCTION "{_schema}".fail_{persistenceId}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.persistence_id = '{persistenceId}' THEN RAISE EXCEPTION '{message}'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER fail_{persistenceId} BEFORE INSERT ON "{_schema}".event_journal
              FOR EACH ROW EXECUTE FUNCTION "{_schema}".fail_{persistenceId}();
            """);

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE");
    }
}
