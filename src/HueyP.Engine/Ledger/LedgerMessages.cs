using HueyP.Domain.Ledger;

namespace HueyP.Engine.Ledger;

/// <summary>Book one ledger event (a fill from the broker, an adjustment); replies <see cref="LedgerBooked"/>.</summary>
public sealed record BookLedgerEvent(ILedgerEvent Event);

/// <summary>
/// Several bookings from one broker step (an entry's fill and its take-profit's on the same slice, say): decided one
/// after another exactly as that many <see cref="BookLedgerEvent"/>s would be, replied to one <see cref="LedgerBooked"/>
/// each, but journaled in one write instead of one commit after the other.
/// </summary>
public sealed record BookLedgerEvents(IReadOnlyList<ILedgerEvent> Events);

/// <summary>Outcome of a booking: Accepted, Duplicate (same fill id again: nothing changed) or Rejected (with the reason).</summary>
public sealed record LedgerBooked(LedgerOutcome Outcome, string? Message);

/// <summary>Marks at a replay barrier: the ledger books those for symbols it holds a position in.</summary>
public sealed record UpdateMarks(IReadOnlyList<MarkUpdated> Marks);

/// <summary>Replies <see cref="LedgerView"/> once every booking sent before it has been persisted.</summary>
public sealed record GetLedgerState
{
    public static readonly GetLedgerState Instance = new();
}

public sealed record LedgerView(LedgerState State, long SequenceNr, long Fills, long Duplicates, long Rejected)
{
    /// <summary>Computed by whoever asks for it, off the ledger's thread: the barrier reads the state every slice, the hash rarely.</summary>
    public string Hash => LedgerStateHash.Compute(State);
}
