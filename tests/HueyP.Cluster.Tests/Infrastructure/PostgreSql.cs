using HueyP.Persistence;
using Npgsql;

namespace HueyP.Cluster.Tests.Infrastructure;

/// <summary>
/// The test PostgreSQL server (HUEYP_TEST_PG, as scripts/test.sh and scripts/pg.sh provide it) and a private schema
/// per test, so tests running in parallel never share a lease or a journal.
/// </summary>
public sealed class PostgreSqlSchema : IAsyncDisposable
{
    public const string Missing =
        "HUEYP_TEST_PG is not set. Run the tests via scripts/test.sh (it starts a throwaway PostgreSQL), " +
        "or start one with `scripts/pg.sh start /tmp/pgdev` and set HUEYP_TEST_PG to the connection string it prints.";

    public PostgreSqlSchema()
    {
        ConnectionString = Environment.GetEnvironmentVariable("HUEYP_TEST_PG") is { Length: > 0 } value ? value : throw new InvalidOperationException(Missing);
        Schema = $"cluster_{Guid.NewGuid():N}"[..30];
    }

    public string ConnectionString { get; }
    public string Schema { get; }

    public ClusterSettings Cluster(string node, TimeSpan? ttl = null) => new()
    {
        NodeName = node,
        Schema = Schema,
        LeaseTtl = ttl ?? TimeSpan.FromSeconds(2),
        RenewInterval = (ttl ?? TimeSpan.FromSeconds(2)) / 4,
    };

    public JournalSettings Journal(string node, HueyP.Persistence.Journal.IWriteFence? fence) => new()
    {
        Provider = JournalProvider.PostgreSql,
        ConnectionString = ConnectionString,
        Schema = Schema,
        WriterId = node,
        WriteFence = fence,
        QueryPollInterval = TimeSpan.FromMilliseconds(50),
    };

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await ScalarAsync($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE");
        }
        catch (NpgsqlException)
        {
            // A throwaway server is removed with its data anyway.
        }
    }
}
