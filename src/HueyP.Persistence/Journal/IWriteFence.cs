namespace HueyP.Persistence.Journal;

/// <summary>
/// Seam for cluster fencing: a boolean SQL expression evaluated by the same INSERT statement that stores events,
/// so a stale writer cannot slip an event in between a check and the insert. The expression may use the
/// parameters <c>@writer_id</c> (text) and <c>@writer_epoch</c> (bigint). On PostgreSQL, lock the lease row it
/// reads (e.g. <c>EXISTS (SELECT 1 FROM lease WHERE ... FOR SHARE)</c>) so a takeover waits for the insert.
/// When it is false no row is inserted and the whole batch fails with <see cref="WriteFencedException"/>.
/// </summary>
public interface IWriteFence
{
    string SqlPredicate(JournalProvider provider);

    /// <summary>The epoch this writer claims right now; stored with each event and bound to @writer_epoch.</summary>
    long CurrentEpoch { get; }
}
