using System.Data.Common;
using HueyP.Persistence.Migrations;

namespace HueyP.Persistence.Storage;

/// <summary>Table names as they appear in SQL (schema-qualified on PostgreSQL).</summary>
internal sealed record TableNames(string Journal, string Tags, string Snapshots, string SchemaVersion);

/// <summary>What differs between the databases; all SQL outside Sqlite/ and PostgreSql/ is shared.</summary>
internal abstract class SqlDatabase : IAsyncDisposable
{
    public abstract JournalProvider Provider { get; }
    public abstract TableNames Tables { get; }
    public abstract IReadOnlyList<Migration> Migrations { get; }

    public abstract Task<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Runs work in a write transaction and commits it; rolls back if work throws.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// The journal writer's transaction: as <see cref="WriteAsync{T}"/>, but work may get no transaction object (null)
    /// where the database's is implicit in the connection, which it then uses for its commands as it is.
    /// </summary>
    public virtual Task<T> WriteBatchAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync<T>((connection, transaction) => work(connection, transaction), cancellationToken);

    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Statement run in the same transaction as an event insert, to wake other processes' live queries.</summary>
    public virtual string? NotifyStatement => null;

    /// <summary>Creates the schema_version table (and on PostgreSQL the schema) if missing.</summary>
    public abstract Task PrepareMigrationsAsync(CancellationToken cancellationToken);

    /// <summary>Called first inside each migration transaction, so two processes never apply one migration twice.</summary>
    public virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract Task<long> GetSizeBytesAsync(CancellationToken cancellationToken);

    /// <summary>Starts forwarding other processes' writes to the signal (PostgreSQL LISTEN). No-op where polling is all there is.</summary>
    public virtual void StartChangeListener(Query.ChangeSignal signal) { }

    public abstract ValueTask DisposeAsync();
}

internal static class DbCommandExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static bool ReadBoolean(this DbDataReader reader, int ordinal) =>
        reader.GetValue(ordinal) switch
        {
            bool b => b,
            long l => l != 0,
            int i => i != 0,
            var other => Convert.ToBoolean(other, System.Globalization.CultureInfo.InvariantCulture),
        };
}
