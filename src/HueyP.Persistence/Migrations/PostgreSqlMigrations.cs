namespace HueyP.Persistence.Migrations;

internal static class PostgreSqlMigrations
{
    public static string SchemaVersionTable(string schema) => $"""
        CREATE SCHEMA IF NOT EXISTS "{schema}";
        CREATE TABLE IF NOT EXISTS "{schema}".schema_version (
            version     INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at  TEXT NOT NULL
        );
        """;

    // timestamp holds UTC ticks (bigint) so both databases compare snapshot timestamps identically.
    public static IReadOnlyList<Migration> All(string schema) =>
    [
        new(1, "event journal, tags, snapshots", $"""
            CREATE TABLE "{schema}".event_journal (
                ordering       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                persistence_id TEXT    NOT NULL,
                sequence_nr    BIGINT  NOT NULL,
                manifest       TEXT    NOT NULL,
                payload        BYTEA   NOT NULL,
                tags           TEXT    NOT NULL DEFAULT '',
                timestamp      BIGINT  NOT NULL,
                writer_id      TEXT    NOT NULL,
                writer_epoch   BIGINT  NOT NULL,
                deleted        BOOLEAN NOT NULL DEFAULT FALSE,
                hash           BYTEA   NOT NULL,
                CONSTRAINT event_journal_persistence_id_sequence_nr_key UNIQUE (persistence_id, sequence_nr)
            );
            CREATE TABLE "{schema}".event_tag (
                tag      TEXT   NOT NULL,
                ordering BIGINT NOT NULL,
                PRIMARY KEY (tag, ordering)
            );
            CREATE TABLE "{schema}".snapshot_store (
                persistence_id TEXT   NOT NULL,
                sequence_nr    BIGINT NOT NULL,
                timestamp      BIGINT NOT NULL,
                manifest       TEXT   NOT NULL,
                payload        BYTEA  NOT NULL,
                PRIMARY KEY (persistence_id, sequence_nr)
            );
            """),
    ];
}
