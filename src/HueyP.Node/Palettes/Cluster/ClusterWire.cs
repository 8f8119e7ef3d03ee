using HueyP.Cluster.Member;

namespace HueyP.Node.Palettes.Cluster;

/// <summary>The JSON of the cluster endpoints (snake_case, like the rest of the admin API).</summary>
public static class ClusterWire
{
    public static object Show(ClusterStatus status, bool accepting, HueyP.Node.Cluster.WarmProjectionView? projection = null,
        IReadOnlyList<HueyP.Persistence.PersistentActors.SeedReport>? seeded = null) => new
    {
        node = status.Node,
        role = status.Role,
        epoch = status.Epoch,
        accepting,
        lease_valid_for_ms = Math.Round(status.LeaseValidForMs),
        last_loss = status.LastLoss,
        fenced_writes = status.FencedWrites,
        lease = status.Lease is { } lease
            ? new { holder = lease.Holder, epoch = lease.Epoch, expires_at = lease.ExpiresAt.UtcDateTime, expired = lease.Expired, database_now = lease.DatabaseNow.UtcDateTime }
            : null,
        members = status.Members.Select(m => new
        {
            node = m.Node,
            role = m.Role,
            epoch = m.Epoch,
            admin = m.AdminEndpoint,
            tail_offset = m.TailOffset,
            lag_events = m.LagEvents,
            lag_ms = Math.Round(m.LagMs, 1),
            seen_at = m.SeenAt.UtcDateTime,
        }),
        journal_head = status.JournalHead,
        tail = new { offset = status.Tail.Offset, events = status.Tail.Events, last_delay_ms = Math.Round(status.Tail.LastDelayMs, 1) },
        projection = projection is { } p
            ? new
            {
                offset = p.Offset,
                lag_events = Math.Max(0, status.JournalHead - p.Offset),
                events = p.Events,
                orders = p.Orders,
                order_events = p.OrderEvents,
                ledger_events = p.LedgerEvents,
                failed_events = p.Failed,
                ledger_hash = p.LedgerHash,
                orders_hash = p.OrdersHash,
                state_hash = p.StateHash,
                ledger_sequence_nr = p.LedgerSequenceNr,
                ledger_unseedable = p.LedgerUnseedable,
                intake_sequence_nr = p.IntakeSequenceNr,
                intake_unseedable = p.IntakeUnseedable,
            }
            : null,
        // How this node's last takeover recovered from the warm projection's seeds, per persistent actor.
        seeded = (seeded ?? []).Select(r => new
        {
            persistence_id = r.PersistenceId,
            seed_sequence_nr = r.SeedSequenceNr,
            outcome = r.Outcome.ToString(),
            recovered_from_sequence_nr = r.RecoveredFromSequenceNr,
            events_replayed = r.EventsReplayed,
            highest_sequence_nr = r.HighestSequenceNr,
        }),
        error = status.Error,
    };

    public static object DrillFeed(HueyP.Node.Cluster.DrillFeed drill) => new
    {
        file = drill.File,
        paused = drill.Paused,
        fed = drill.Fed,
        fed_until = drill.FedUntil,
    };

    public static object Leader(ClusterStatus status)
    {
        var lease = status.Lease!;
        var holder = status.Members.FirstOrDefault(m => m.Node == lease.Holder);
        return new
        {
            leader = lease.Expired ? null : lease.Holder,
            epoch = lease.Epoch,
            expires_at = lease.ExpiresAt.UtcDateTime,
            expired = lease.Expired,
            admin = holder?.AdminEndpoint,
        };
    }
}
