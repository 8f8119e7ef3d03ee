using HueyP.Persistence.Journal;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Integrity;

public enum ViolationKind
{
    /// <summary>The row's content or its predecessor's hash changed since it was written.</summary>
    HashMismatch,

    /// <summary>A sequence number is missing: a row was removed.</summary>
    SequenceGap,

    /// <summary>Rows of one persistence id are not stored in sequence order: rows were moved.</summary>
    OutOfOrder,
}

public sealed record JournalViolation(ViolationKind Kind, string PersistenceId, long SequenceNr, long Ordering, string Description);

public sealed record VerificationReport(long EventsChecked, long PersistenceIdsChecked, JournalViolation? FirstViolation)
{
    public bool IsIntact => FirstViolation is null;
}

/// <summary>
/// Walks every persistence id's hash chain and reports the first row that does not match. Catches edited payloads,
/// removed rows (except the newest rows of an id, which leave no trace in the remaining chain) and reordering.
/// </summary>
public sealed class JournalVerifier
{
    private readonly StoreContext _context;

    internal JournalVerifier(StoreContext context) => _context = context;

    public async Task<VerificationReport> VerifyAsync(string? persistenceId = null, CancellationToken cancellationToken = default)
    {
        await _context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
            $"SELECT {JournalRow.Columns} FROM {_context.Database.Tables.Journal} {(persistenceId is null ? "" : "WHERE persistence_id = @pid")} ORDER BY persistence_id, sequence_nr");
        if (persistenceId is not null) command.With("@pid", persistenceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        long events = 0, ids = 0;
        string? currentId = null;
        long previousSequenceNr = 0, previousOrdering = 0;
        byte[] previousHash = [];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = JournalRow.Read(reader);
            events++;
            if (row.PersistenceId != currentId)
            {
                currentId = row.PersistenceId;
                ids++;
                previousSequenceNr = 0;
                previousOrdering = 0;
                previousHash = [];
            }
            JournalViolation? violation = null;
            if (row.SequenceNr != previousSequenceNr + 1)
                violation = new(ViolationKind.SequenceGap, row.PersistenceId, row.SequenceNr, row.Ordering,
                    $"sequence number {row.SequenceNr} follows {previousSequenceNr}: events {previousSequenceNr + 1}..{row.SequenceNr - 1} are missing");
            else if (row.Ordering <= previousOrdering)
                violation = new(ViolationKind.OutOfOrder, row.PersistenceId, row.SequenceNr, row.Ordering,
                    $"ordering {row.Ordering} is not after the previous event's ordering {previousOrdering}");
            else if (!EventHash.Compute(row.PersistenceId, row.SequenceNr, row.Manifest, row.Payload, previousHash).AsSpan().SequenceEqual(row.Hash))
                violation = new(ViolationKind.HashMismatch, row.PersistenceId, row.SequenceNr, row.Ordering,
                    "stored hash does not match the row's content and its predecessor: the row was edited");
            if (violation is not null) return new VerificationReport(events, ids, violation);
            previousSequenceNr = row.SequenceNr;
            previousOrdering = row.Ordering;
            previousHash = row.Hash;
        }
        return new VerificationReport(events, ids, null);
    }
}
