using HueyP.Persistence.Journal;

namespace HueyP.Persistence;

public enum JournalProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// SQLite durability. WAL mode is always on; this only chooses when the WAL is fsynced.
/// </summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// The WAL is fsynced at checkpoints, not at every commit. An acknowledged write survives the process
    /// crashing, but a power loss or OS crash can roll back the last few acknowledged transactions
    /// (the database is never corrupted). The default: the fast choice for a node with a standby.
    /// </summary>
    Normal,

    /// <summary>
    /// The WAL is fsynced before every commit returns, so an acknowledged write survives power loss.
    /// Group commit shares one fsync among every write in a batch, which keeps this affordable.
    /// </summary>
    Full,
}

public sealed record JournalSettings
{
    public JournalProvider Provider { get; init; } = JournalProvider.Sqlite;

    /// <summary>SQLite database file. Either this or <see cref="ConnectionString"/> is required for SQLite.</summary>
    public string? Path { get; init; }

    /// <summary>Npgsql connection string for PostgreSQL; an optional Microsoft.Data.Sqlite connection string for SQLite.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>PostgreSQL schema holding the tables (created if missing). Lower-case letters, digits and underscores.</summary>
    public string Schema { get; init; } = "public";

    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Normal;

    /// <summary>How long a SQLite connection waits for another process's write lock before failing.</summary>
    public TimeSpan SqliteBusyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Serialized payload limit; a larger event is rejected (the rest of its batch is still written).</summary>
    public int MaxEventBytes { get; init; } = 1024 * 1024;

    /// <summary>Group commit stops taking more queued writes into one transaction after this many events.</summary>
    public int MaxBatchEvents { get; init; } = 1000;

    /// <summary>
    /// Rows per INSERT statement, bounded by the databases' parameter limits. SQLite looks bound parameters up by
    /// name with a linear scan, so binding costs grow with the square of the statement's size: 100 rows
    /// (700 parameters) wrote a 10,000-event batch faster than 500.
    /// </summary>
    public int MaxRowsPerStatement { get; init; } = 100;

    /// <summary>Rows fetched per round trip by replay and queries.</summary>
    public int ReadPageSize { get; init; } = 1000;

    /// <summary>How often live queries look for new events when nothing woke them earlier.</summary>
    public TimeSpan QueryPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// PostgreSQL assigns <c>ordering</c> at insert time, so a lower ordering can commit after a higher one.
    /// Tag and all-events queries hold back behind such a gap; after this long the gap is taken to be
    /// a rolled-back transaction and skipped. An event committed later than this could be missed.
    /// </summary>
    public TimeSpan QueryGapTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Identifies the writing node in every event row.</summary>
    public string WriterId { get; init; } = Environment.MachineName;

    /// <summary>Stored with every event; used by <see cref="WriteFence"/> to reject a stale writer.</summary>
    public long WriterEpoch { get; init; }

    /// <summary>Optional predicate added to every event insert (cluster fencing). None by default.</summary>
    public IWriteFence? WriteFence { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Parses the configuration spelling of a provider ("sqlite" or "postgresql").</summary>
    public static JournalProvider ParseProvider(string value) =>
        value.Trim().ToLowerInvariant() switch
        {
            "sqlite" => JournalProvider.Sqlite,
            "postgresql" or "postgres" or "pg" => JournalProvider.PostgreSql,
            _ => throw new JournalConfigurationException(
                nameof(Provider), $"unknown journal provider '{value}'; expected 'sqlite' or 'postgresql'"),
        };
}
