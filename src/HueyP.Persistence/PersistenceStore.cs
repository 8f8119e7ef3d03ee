using HueyP.Persistence.Integrity;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Migrations;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.PostgreSql;
using HueyP.Persistence.Query;
using HueyP.Persistence.Serialization;
using HueyP.Persistence.Snapshots;
using HueyP.Persistence.Sqlite;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence;

/// <summary>
/// Everything persistence offers over one database: journal, snapshots, queries, verification, inspection.
/// The schema is migrated on first use (or by <see cref="InitializeAsync"/>); if the database is unreachable
/// that first operation faults and the next one tries again.
/// </summary>
public sealed class PersistenceStore : IAsyncDisposable
{
    private readonly StoreContext _context;
    private readonly SqlJournal _journal;
    private int _disposed;

    internal PersistenceStore(StoreContext context)
    {
        _context = context;
        _journal = new SqlJournal(context);
        SnapshotStore = new SqlSnapshotStore(context);
        ReadJournal = new SqlReadJournal(context);
        Verifier = new JournalVerifier(context);
        Inspector = new JournalInspector(context);
    }

    public JournalSettings Settings => _context.Settings;
    public IAsyncWriteJournal Journal => _journal;

    /// <summary>Commit latency and batch sizes of this store's journal writer (for telemetry).</summary>
    public JournalWriteStats WriteStats => _context.WriteStats;

    /// <summary>Serializes an event with the size limit applied; throws <see cref="EventSerializationException"/> saying why not.</summary>
    public SerializedEvent Encode(object payload) => _context.Encode(payload);

    public EventSerializer Serializer => _context.Serializer;
    public ISnapshotStore SnapshotStore { get; }
    public IReadJournal ReadJournal { get; }

    internal OrderingWatermark Watermark => ((SqlReadJournal)ReadJournal).Watermark;
    public JournalVerifier Verifier { get; }
    public JournalInspector Inspector { get; }

    /// <summary>Connects and applies pending schema migrations now, instead of on first use.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => _context.EnsureInitializedAsync(cancellationToken);

    /// <summary>Migrations known to this build, for diagnostics.</summary>
    public IReadOnlyList<Migration> Migrations => _context.Database.Migrations;

    /// <summary>
    /// A persistent actor's recovery read: the snapshot to start from, the events after it, and the highest sequence
    /// number, all on one database connection. With a seed, the seed is the snapshot when the journal holds the events
    /// it folded and no stored snapshot is as new; otherwise the latest stored snapshot is.
    /// </summary>
    internal async Task<RecoveryRead> RecoverAsync(string persistenceId, RecoverySeed? seed, Action<SelectedSnapshot?, SeedOutcome?> onSnapshot,
        Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        await _context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        SeedOutcome? outcome = null;
        var criteria = SnapshotSelectionCriteria.Latest;
        if (seed is not null)
        {
            // Nothing writes this stream while its actor recovers, so the count read first still holds for the replay.
            if (await _journal.ReadHighestAsync(connection, persistenceId, cancellationToken).ConfigureAwait(false) < seed.SequenceNr)
                outcome = SeedOutcome.AheadOfJournal;
            else
                criteria = SnapshotSelectionCriteria.Latest with { MinSequenceNr = seed.SequenceNr }; // only a stored snapshot at least as new matters
        }

        var snapshot = await ((SqlSnapshotStore)SnapshotStore).LoadAsync(connection, persistenceId, criteria, cancellationToken).ConfigureAwait(false);
        if (seed is not null && outcome is null)
        {
            outcome = snapshot is null ? SeedOutcome.Used : SeedOutcome.StoredSnapshotAsNew;
            snapshot ??= new SelectedSnapshot(new SnapshotMetadata(persistenceId, seed.SequenceNr, _context.Settings.Clock.GetUtcNow().UtcDateTime), seed.Snapshot);
        }

        onSnapshot(snapshot, outcome);
        var from = (snapshot?.Metadata.SequenceNr ?? 0) + 1;
        var highest = await _journal.ReplayAndReadHighestAsync(connection, persistenceId, from, onEvent, cancellationToken).ConfigureAwait(false);
        return new RecoveryRead(highest, outcome);
    }

    /// <summary>Stops accepting writes, waits for queued writes to finish, closes connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _journal.DisposeAsync().ConfigureAwait(false);
        await _context.Database.DisposeAsync().ConfigureAwait(false);
    }
}

public static class JournalFactory
{
    /// <summary>
    /// Validates the settings and builds the store without touching the database yet. A bad setting throws
    /// <see cref="JournalConfigurationException"/> naming it.
    /// </summary>
    public static PersistenceStore Create(JournalSettings settings, EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(serializer);
        Require(settings.MaxEventBytes > 0, nameof(JournalSettings.MaxEventBytes), "must be positive");
        Require(settings.MaxBatchEvents > 0, nameof(JournalSettings.MaxBatchEvents), "must be positive");
        Require(settings.MaxRowsPerStatement is > 0 and <= 2000, nameof(JournalSettings.MaxRowsPerStatement), "must be between 1 and 2000 (database parameter limits)");
        Require(settings.ReadPageSize > 0, nameof(JournalSettings.ReadPageSize), "must be positive");
        Require(settings.QueryPollInterval > TimeSpan.Zero, nameof(JournalSettings.QueryPollInterval), "must be positive");
        Require(settings.QueryGapTimeout >= TimeSpan.Zero, nameof(JournalSettings.QueryGapTimeout), "must not be negative");
        Require(!string.IsNullOrWhiteSpace(settings.WriterId), nameof(JournalSettings.WriterId), "must not be empty");
        SqlDatabase database = settings.Provider switch
        {
            JournalProvider.Sqlite => new SqliteDatabase(settings),
            JournalProvider.PostgreSql => new PostgreSqlDatabase(settings),
            _ => throw new JournalConfigurationException(nameof(JournalSettings.Provider), $"unknown provider {settings.Provider}"),
        };
        return new PersistenceStore(new StoreContext(database, settings, serializer));
    }

    private static void Require(bool condition, string setting, string problem)
    {
        if (!condition) throw new JournalConfigurationException(setting, problem);
    }
}

/// <summary>What a recovery read found: the stream's highest sequence number (deleted events included) and what became of its seed.</summary>
internal sealed record RecoveryRead(long HighestSequenceNr, SeedOutcome? Seed);
