namespace HueyP.Cluster.Lease;

/// <summary>
/// The lease row and the member table. Created idempotently by whichever node starts first (serialized by a
/// transaction-level advisory lock), so a fresh database needs nothing but the journal's own migrations.
/// </summary>
internal static class LeaseSchema
{
    public static string Create(ClusterSettings settings) => $"""
        CREATE SCHEMA IF NOT EXISTS "{settings.Schema}";
        CREATE TABLE IF NOT EXISTS {settings.LeaseTable} (
            name        TEXT PRIMARY KEY,
            holder      TEXT,
            epoch       BIGINT      NOT NULL DEFAULT 0,
            expires_at  TIMESTAMPTZ NOT NULL DEFAULT '-infinity',
            acquired_at TIMESTAMPTZ,
            holder_pid  INTEGER
        );
        CREATE TABLE IF NOT EXISTS {settings.MemberTable} (
            lease_name     TEXT NOT NULL,
            node           TEXT NOT NULL,
            role           TEXT NOT NULL,
            epoch          BIGINT NOT NULL,
            admin_endpoint TEXT NOT NULL,
            tail_offset    BIGINT NOT NULL DEFAULT 0,
            lag_events     BIGINT NOT NULL DEFAULT 0,
            lag_ms         DOUBLE PRECISION NOT NULL DEFAULT 0,
            seen_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
            PRIMARY KEY (lease_name, node)
        );
        INSERT INTO {settings.LeaseTable} (name) VALUES (@name) ON CONFLICT (name) DO NOTHING;
        """;
}
