using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence.Query;

namespace HueyP.Node.Cluster;

/// <summary>What `hueyp cluster show` reports of the warm projection: how far it has read and the hash of what it holds.</summary>
public sealed record WarmProjectionView(long Offset, long Events, int Orders, long OrderEvents, long LedgerEvents, long Failed,
    string LedgerHash, string OrdersHash, string StateHash);

/// <summary>
/// The warm standby's order and ledger state, kept from the journal tail with the domain's pure Apply functions (the
/// same fold as `hueyp state rebuild`, event by event, no actors): after a burst of orders its state hash equals the
/// active's. Fed on the tail's thread; read from the admin API's. Both states are immutable, so a reader takes a
/// consistent pair under the lock and hashes it outside.
/// </summary>
public sealed class WarmProjection(LedgerSettings ledger)
{
    private readonly Lock _gate = new();
    private LedgerState _ledger = ledger.Empty();
    private OrderBook _book = OrderBook.Empty;
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
                switch (JournalAnalysis.Fold(envelope, ref _ledger, ref _book))
                {
                    case FoldedInto.Ledger: _ledgerEvents++; break;
                    case FoldedInto.Orders: _orderEvents++; break;
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

    public WarmProjectionView View()
    {
        LedgerState ledgerState;
        OrderBook book;
        long offset, events, orderEvents, ledgerEvents, failed;
        lock (_gate)
        {
            (ledgerState, book, offset, events, orderEvents, ledgerEvents, failed) = (_ledger, _book, _offset, _events, _orderEvents, _ledgerEvents, _failed);
        }

        var ledgerHash = LedgerStateHash.Compute(ledgerState);
        var ordersHash = OrderBookHash.Compute(book);
        return new WarmProjectionView(offset, events, book.Orders.Count, orderEvents, ledgerEvents, failed, ledgerHash, ordersHash,
            OrderBookHash.Combine(ledgerHash, ordersHash));
    }
}
