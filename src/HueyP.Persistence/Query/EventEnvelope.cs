namespace HueyP.Persistence.Query;

/// <summary>
/// An event delivered by a query. Offset is the global <c>ordering</c>; pass the last seen Offset back as the
/// (exclusive) offset to resume a tag or all-events query.
/// </summary>
public sealed record EventEnvelope(
    long Offset,
    string PersistenceId,
    long SequenceNr,
    object Event,
    DateTime Timestamp,
    IReadOnlyList<string> Tags,
    string Manifest);

/// <summary>
/// Akka.Persistence.Query's read journal. Current* queries end at the events committed when they started;
/// the others are live and run until cancelled. Deleted events are not delivered.
/// </summary>
public interface IReadJournal
{
    IAsyncEnumerable<EventEnvelope> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr = 0, long toSequenceNr = long.MaxValue, CancellationToken cancellationToken = default);
    IAsyncEnumerable<EventEnvelope> EventsByPersistenceId(string persistenceId, long fromSequenceNr = 0, long toSequenceNr = long.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Events carrying the tag with ordering &gt; offset (0 = from the start), in ordering order.</summary>
    IAsyncEnumerable<EventEnvelope> CurrentEventsByTag(string tag, long offset = 0, CancellationToken cancellationToken = default);
    IAsyncEnumerable<EventEnvelope> EventsByTag(string tag, long offset = 0, CancellationToken cancellationToken = default);

    IAsyncEnumerable<EventEnvelope> CurrentAllEvents(long offset = 0, CancellationToken cancellationToken = default);
    IAsyncEnumerable<EventEnvelope> AllEvents(long offset = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="CurrentAllEvents"/> without holding back at holes in the ordering: for a reader that knows no
    /// transaction still open can fill one. That is the active node right after it won the lease: every fenced write
    /// locks the lease row (FOR SHARE) until it ends, and taking the lease waits for those locks, so each write of an
    /// earlier epoch had committed or rolled back before this epoch began. Anyone else uses <see cref="CurrentAllEvents"/>.
    /// </summary>
    IAsyncEnumerable<EventEnvelope> CurrentAllEventsAfterFencing(long offset = 0, CancellationToken cancellationToken = default);

    IAsyncEnumerable<string> CurrentPersistenceIds(CancellationToken cancellationToken = default);
}
