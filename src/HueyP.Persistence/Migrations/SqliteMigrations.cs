namespace HueyP.Persistence.Migrations;

internal static class SqliteMigrations
{
    public const string SchemaVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version     INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        );
        """;

    // AUTOINCREMENT: an ordering is never reused, even after the newest rows are gone, so query offsets stay valid.
    // timestamp holds UTC ticks. deleted is 0/1.
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "event journal, tags, snapshots", """
            CREATE TABLE event_journal (
                ordering       INTEGER PRIMARY KEY AUTOINCREMENT,
                persistence_id TEXT    NOT NULL,
                sequence_nr    INTEGER NOT NULL,
                manifest       TEXT    NOT NULL,
                payload        BLOB    NOT NULL,
                tags           TEXT    NOT NULL DEFAULT '',
                timestamp      INTEGER NOT NULL,
                writer_id      TEXT    NOT NULL,
                writer_epoch   INTEGER NOT NULL,
                deleted        INTEGER NOT NULL DEFAULT 0,
                hash           BLOB    NOT NULL,
                UNIQUE (persistence_id, sequence_nr)
            );
            CREATE TABLE event_tag (
                tag      TEXT    NOT NULL,
                ordering INTEGER NOT NULL,
                PRIMARY KEY (tag, ordering)
            ) WITHOUT ROWID;
            CREATE TABLE snapshot_store (
                persistence_id TEXT    NOT NULL,
                sequence_nr    INTEGER NOT NULL,
                timestamp      INTEGER NOT NULL,
                manifest       TEXT    NOT NULL,
                payload        BLOB    NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr)
            );
            """),
    ];
}
