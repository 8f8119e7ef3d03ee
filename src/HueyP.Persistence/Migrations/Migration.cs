using HueyP.Persistence.Journal;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Migrations;

/// <summary>One schema step. Never edit a released migration: add the next version instead.</summary>
public sealed record Migration(int Version, string Description, string Sql);

internal static class MigrationRunner
{
    /// <summary>Applies every migration newer than the database's version, each once, each in its own transaction.</summary>
    public static async Task MigrateAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        var latest = database.Migrations.Max(m => m.Version);
        // Up-to-date databases are only read, so a read-only database still opens for replay and queries.
        var current = await TryReadVersionAsync(database, cancellationToken).ConfigureAwait(false);
        if (current == latest) return;
        if (current is null)
        {
            await database.PrepareMigrationsAsync(cancellationToken).ConfigureAwait(false);
            current = await ReadVersionAsync(database, cancellationToken).ConfigureAwait(false);
        }
        if (current > latest)
            throw new JournalSchemaException(
                $"The journal database is at schema version {current}, newer than this build supports ({latest}). Upgrade HueyP before using this database.");
        foreach (var migration in database.Migrations.OrderBy(m => m.Version))
        {
            if (migration.Version <= current) continue;
            await database.WriteAsync(async (connection, transaction) =>
            {
                await database.LockForMigrationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                await using var check = connection.Command($"SELECT COUNT(*) FROM {database.Tables.SchemaVersion} WHERE version = @version", transaction)
                    .With("@version", (long)migration.Version);
                if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0)
                    return 0; // another process applied it while we waited for the lock
                await using (var apply = connection.Command(migration.Sql, transaction))
                    await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await using var record = connection.Command(
                        $"INSERT INTO {database.Tables.SchemaVersion} (version, description, applied_at) VALUES (@version, @description, @applied)", transaction)
                    .With("@version", (long)migration.Version)
                    .With("@description", migration.Description)
                    .With("@applied", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                return await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The schema version, or null when there is no schema_version table yet.</summary>
    private static async Task<int?> TryReadVersionAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadVersionAsync(database, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException)
        {
            // Most likely no schema yet. If the database is unreachable instead, preparing the schema fails
            // with the connection error, which then propagates.
            return null;
        }
    }

    public static async Task<int> ReadVersionAsync(SqlDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"SELECT COALESCE(MAX(version), 0) FROM {database.Tables.SchemaVersion}");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
