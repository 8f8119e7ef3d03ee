using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Query;

namespace HueyP.Node.Cluster;

/// <summary>What `hueyp cluster show` reports of the warm projection: how far it has read and the hash of what it holds.</summary>
public sealed record WarmProjectionView(long Offset, long Events, int Orders, long OrderEvents, long LedgerEvents, long Failed,
    string LedgerHash, string OrdersHash, string StateHash)
{
    /// <summary>The ledger's sequence number a takeover would seed its recovery at (0: none yet).</summary>
    public long LedgerSequenceNr { get; init; }

    /// <summary>Why the ledger cannot be seeded any more (a gap, an event the fold refused), or null.</summary>
    public string? LedgerUnseedable { get; init; }

    /// <summary>The order intake's sequence number a takeover would seed its recovery at (0: none yet).</summary>
    public long IntakeSequenceNr { get; init; }

    /// <summary>Why the intake cannot be seeded any more, or null.</summary>
    public string? IntakeUnseedable { get; init; }
}

/// <summary>
/// The warm standby's order and ledger state, kept from the journal tail with the domain's pure Apply functions (the
/// same fold as `hueyp state rebuild`, event by event, no actors): after a burst of orders its state hash equals the
/// active's. It also follows the ledger's and the order intake's streams as their actors' recoveries would fold them,
/// and on takeover hands those states over as recovery seeds (<see cref="Seeds"/>), so the actors replay only what the
/// projection had not read yet. Fed on the tail's thread; read from the admin API's and the takeover's. The ledger and
/// order states are immutable, so a reader takes a consistent pair under the lock and hashes it outside; the seeds are
/// copied under the lock.
/// </summary>
public sealed class WarmProjection(LedgerSettings ledger)
{
    private readonly Lock _gate = new();
    private readonly LedgerStreamFollower _ledger = new(ledger);
    private readonly IntakeStreamFollower _intake = new();
    private OrderBook _book = OrderBook.Empty;
    private readonly Dictionary<string, StreamCursor> _orderStreams = new(StringComparer.Ordinal);
    private string? _bookUnseedable;
    private long _offset;
    private long _events;
    private long _orderEvents;
    private long _ledgerEvents;
    private long _failed;

    /// <summary>Applies one journal event; an offset already applied is skipped (the tail re-reads after an error).</summary>
    public void Apply(EventEnvelope envelope)
    {
        lock (_gate)
        {
            if (envelope.Offset <= _offset) return;
            try
            {
                if (_ledger.Apply(envelope))
                {
                    _ledgerEvents++;
                }
                else if (envelope.PersistenceId == OrderIntakeActor.Id)
                {
                    _intake.Apply(envelope);
                }
                else if (JournalAnalysis.TryFoldOrder(envelope, ref _book))
                {
                    _orderEvents++;
                    // An order stream read with a hole (an event the tail never saw) folds to a state its entity never
                    // had: such a book is not offered at takeover.
                    if (!_orderStreams.TryGetValue(envelope.PersistenceId, out var cursor))
                        _orderStreams[envelope.PersistenceId] = cursor = new StreamCursor(envelope.PersistenceId);
                    cursor.Advance(envelope.SequenceNr);
                    _bookUnseedable ??= cursor.Unseedable;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                // An event the fold cannot take is counted (`cluster show` says so), never a reason to stop following.
                _failed++;
            }

            _offset = envelope.Offset;
            _events++;
        }
    }

    /// <summary>
    /// Recovery seeds of the engine's persistent actors as far as the projection has read: each exactly the state the
    /// actor would hold at its sequence number, so a takeover replays only the events after it.
    /// </summary>
    public IReadOnlyList<RecoverySeed> Seeds()
    {
        lock (_gate)
        {
            return new[] { _ledger.Seed(), _intake.Seed() }.OfType<RecoverySeed>().ToList();
        }
    }

    /// <summary>
    /// The order book as far as the projection has read, for the engine's <see cref="OrderBookView"/> to start from; null
    /// when an event could not be folded or an order's stream was read with a hole (the engine then folds the whole
    /// journal itself).
    /// </summary>
    public ProjectionSeed? BookSeed()
    {
        lock (_gate)
        {
            return _failed == 0 && _bookUnseedable is null && _offset > 0 ? new ProjectionSeed(OrderBookView.SeedName, _offset, _book) : null;
        }
    }

    public WarmProjectionView View()
    {
        LedgerState ledgerState;
        OrderBook book;
        long offset, events, orderEvents, ledgerEvents, failed, ledgerSequenceNr;
        long intakeSequenceNr;
        string? unseedable, intakeUnseedable;
        lock (_gate)
        {
            (ledgerState, book, offset, events, orderEvents, ledgerEvents, failed) = (_ledger.State, _book, _offset, _events, _orderEvents, _ledgerEvents, _failed);
            (ledgerSequenceNr, unseedable) = (_ledger.SequenceNr, _ledger.Unseedable);
            (intakeSequenceNr, intakeUnseedable) = (_intake.SequenceNr, _intake.Unseedable);
        }

        var ledgerHash = LedgerStateHash.Compute(ledgerState);
        var ordersHash = OrderBookHash.Compute(book);
        return new WarmProjectionView(offset, events, book.Orders.Count, orderEvents, ledgerEvents, failed, ledgerHash, ordersHash,
            OrderBookHash.Combine(ledgerHash, ordersHash))
        {
            LedgerSequenceNr = ledgerSequenceNr, LedgerUnseedable = unseedable, IntakeSequenceNr = intakeSequenceNr, IntakeUnseedable = intakeUnseedable,
        };
    }
}
