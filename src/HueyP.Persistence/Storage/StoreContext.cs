using HueyP.Persistence.Journal;
using HueyP.Persistence.Migrations;
using HueyP.Persistence.Query;
using HueyP.Persistence.Serialization;

namespace HueyP.Persistence.Storage;

/// <summary>What the journal, snapshot store, queries and inspection share for one database.</summary>
internal sealed class StoreContext(SqlDatabase database, JournalSettings settings, EventSerializer serializer)
{
    private readonly Lock _initLock = new();
    private Task? _initialization;

    public SqlDatabase Database { get; } = database;
    public JournalSettings Settings { get; } = settings;
    public EventSerializer Serializer { get; } = serializer;
    public ChangeSignal Changes { get; } = new();
    public JournalWriteStats WriteStats { get; } = new();

    /// <summary>Serializes an event and applies the size limit: the one place an event becomes bytes for the journal.</summary>
    public SerializedEvent Encode(object payload)
    {
        var (manifest, bytes) = Serializer.Serialize(payload);
        if (bytes.Length > Settings.MaxEventBytes)
            throw new EventSerializationException(
                $"{manifest} serializes to {bytes.Length:N0} bytes, more than the limit of {Settings.MaxEventBytes:N0} (JournalSettings.MaxEventBytes)");
        return new SerializedEvent(manifest, bytes);
    }

    /// <summary>
    /// Migrates the schema on first use. A failure (database unreachable) is not cached: the next call tries again,
    /// so a supervisor's retry can succeed once the database is back.
    /// </summary>
    public Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        Task initialization;
        lock (_initLock)
        {
            if (_initialization is null || _initialization.IsFaulted || _initialization.IsCanceled)
                _initialization = MigrationRunner.MigrateAsync(Database, CancellationToken.None);
            initialization = _initialization;
        }
        return initialization.IsCompletedSuccessfully ? Task.CompletedTask : initialization.WaitAsync(cancellationToken);
    }
}
