using HueyP.Persistence;
using HueyP.Persistence.Serialization;
using Npgsql;

namespace HueyP.Bridge.Tests.Outbox;

/// <summary>A private journal for one test: a temp SQLite file, or a fresh schema on the PostgreSQL server named by HUEYP_TEST_PG.</summary>
internal sealed class OutboxStorage : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _schema;
    private readonly string? _connectionString;

    private OutboxStorage(JournalSettings settings, string? directory, string? schema, string? connectionString)
    {
        Settings = settings;
        _directory = directory;
        _schema = schema;
        _connectionString = connectionString;
    }

    public JournalSettings Settings { get; }

    /// <summary>Null when PostgreSQL is asked for, not configured, and HUEYP_ALLOW_NO_PG=1 allows skipping it.</summary>
    public static OutboxStorage? Create(string provider)
    {
        if (provider == "sqlite")
        {
            var directory = Directory.CreateTempSubdirectory("hueyp-outbox-").FullName;
            return new OutboxStorage(new JournalSettings { Provider = JournalProvider.Sqlite, Path = Path.Combine(directory, "journal.db") }, directory, null, null);
        }
        var connectionString = Environment.GetEnvironmentVariable("HUEYP_TEST_PG");
        if (string.IsNullOrEmpty(connectionString))
        {
            if (Environment.GetEnvironmentVariable("HUEYP_ALLOW_NO_PG") == "1") return null;
            throw new InvalidOperationException("HUEYP_TEST_PG is not set: run via scripts/test.sh, or `scripts/pg.sh start DIR` and export the connection string it prints (HUEYP_ALLOW_NO_PG=1 skips).");
        }
        var schema = "outbox_" + Guid.NewGuid().ToString("N");
        return new OutboxStorage(new JournalSettings { Provider = JournalProvider.PostgreSql, ConnectionString = connectionString, Schema = schema }, null, schema, connectionString);
    }

    public PersistenceStore Open() => JournalFactory.Create(Settings, new EventSerializer());

    public async ValueTask DisposeAsync()
    {
        if (_directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
        if (_schema is not null)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
