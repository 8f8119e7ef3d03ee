using System.Data.Common;
using System.Text.RegularExpressions;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Migrations;
using HueyP.Persistence.Query;
using HueyP.Persistence.Storage;
using Npgsql;

namespace HueyP.Persistence.PostgreSql;

internal sealed partial class PostgreSqlDatabase : SqlDatabase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly string _channel;
    private readonly TimeSpan _reconnectDelay;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _listener;

    public PostgreSqlDatabase(JournalSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            throw new JournalConfigurationException(nameof(JournalSettings.ConnectionString), "the PostgreSQL journal needs a connection string, e.g. Host=127.0.0.1;Port=5432;Username=hueyp;Database=hueyp");
        if (!SchemaName().IsMatch(settings.Schema))
            throw new JournalConfigurationException(nameof(JournalSettings.Schema), $"'{settings.Schema}' is not a plain lower-case identifier ([a-z_][a-z0-9_]*, at most 40 characters)");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
                throw new ArgumentException("Host is missing");
            _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException or NotSupportedException)
        {
            throw new JournalConfigurationException(nameof(JournalSettings.ConnectionString), $"not a valid PostgreSQL connection string: {e.Message}", e);
        }
        _schema = settings.Schema;
        _channel = $"hueyp_journal_{_schema}";
        // Short even when polling is slow: after reconnecting, the listener wakes every live query to catch up.
        _reconnectDelay = settings.QueryPollInterval < TimeSpan.FromSeconds(1) ? settings.QueryPollInterval : TimeSpan.FromSeconds(1);
        Tables = new($"\"{_schema}\".event_journal", $"\"{_schema}\".event_tag", $"\"{_schema}\".snapshot_store", $"\"{_schema}\".schema_version");
        Migrations = PostgreSqlMigrations.All(_schema);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex SchemaName();

    public override JournalProvider Provider => JournalProvider.PostgreSql;
    public override TableNames Tables { get; }
    public override IReadOnlyList<Migration> Migrations { get; }

    // pg_notify is transactional: listeners hear it only when the events' transaction commits.
    public override string NotifyStatement => $"SELECT pg_notify('{_channel}', '')";

    public override async Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override Task PrepareMigrationsAsync(CancellationToken cancellationToken) =>
        WriteAsync(async (connection, transaction) =>
        {
            await LockForMigrationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await using var command = connection.Command(PostgreSqlMigrations.SchemaVersionTable(_schema), transaction);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Nodes starting together would otherwise race on CREATE TABLE; the lock is released at commit.
        await using var command = connection.Command("SELECT pg_advisory_xact_lock(hashtext(@key))", transaction)
            .With("@key", $"hueyp-migrations:{_schema}");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<long> GetSizeBytesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
            $"SELECT pg_total_relation_size('{Tables.Journal}') + pg_total_relation_size('{Tables.Tags}') + pg_total_relation_size('{Tables.Snapshots}')");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public override void StartChangeListener(ChangeSignal signal)
    {
        lock (_stopping)
        {
            _listener ??= Task.Run(() => ListenAsync(signal, _stopping.Token));
        }
    }

    private async Task ListenAsync(ChangeSignal signal, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = connection.Command($"LISTEN \"{_channel}\""))
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                // Anything written while we were not listening is picked up by the woken queries.
                signal.Notify();
                while (!stopping.IsCancellationRequested)
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Live queries keep polling meanwhile; retry the listener after a pause.
                try
                {
                    await Task.Delay(_reconnectDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            try { await _listener.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
