using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Persistence;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;

namespace HueyP.Node.Hosting;

/// <summary>
/// Opens the node's journal before anything that could persist starts: a bad connection string or an unreachable
/// database stops the node at start-up with the setting named, instead of failing the first order.
/// </summary>
public static class NodeJournal
{
    /// <param name="fence">The cluster member's write fence (and connection-string adjustment); null for a standalone node.</param>
    public static async Task<PersistenceStore> OpenAsync(NodeSettings settings, EventSerializer serializer, CancellationToken ct, IJournalFenceSource? fence = null)
    {
        var persistence = settings.Persistence;
        var (setting, journal) = persistence.Provider == "postgresql"
            ? ("hueyp.persistence.postgresql.connection-string", new JournalSettings
            {
                Provider = JournalProvider.PostgreSql,
                ConnectionString = fence is null ? persistence.PostgresConnectionString : fence.JournalConnectionString(persistence.PostgresConnectionString),
                WriterId = settings.Node.Name,
                WriteFence = fence?.Fence,
                MaxEventBytes = (int)Math.Min(int.MaxValue, persistence.MaxEventBytes),
            })
            : ("hueyp.persistence.sqlite.path", new JournalSettings
            {
                Provider = JournalProvider.Sqlite,
                Path = persistence.SqlitePath,
                Synchronous = persistence.SqliteSynchronous == "FULL" ? SqliteSynchronous.Full : SqliteSynchronous.Normal,
                WriterId = settings.Node.Name,
                MaxEventBytes = (int)Math.Min(int.MaxValue, persistence.MaxEventBytes),
            });

        PersistenceStore store;
        try
        {
            if (journal.Path is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            }

            store = JournalFactory.Create(journal, serializer);
        }
        catch (Exception e) when (e is JournalConfigurationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{setting} is not usable: {e.Message}");
        }

        try
        {
            await store.InitializeAsync(ct);
            return store;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.DisposeAsync();
            throw new CommandFailedException($"the journal ({setting} = {persistence.Location}) cannot be opened: {e.Message}");
        }
    }
}
