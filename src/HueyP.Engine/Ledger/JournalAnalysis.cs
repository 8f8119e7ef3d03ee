using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Domain.Performance;
using HueyP.Domain.Tca;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using HueyP.Persistence.Query;
using HueyP.Persistence.Snapshots;

namespace HueyP.Engine.Ledger;

/// <summary>What `hueyp state rebuild` compares: state folded from every event vs the state the ledger itself holds.</summary>
public sealed record StateRebuild(
    long Events, int Orders, long LedgerEvents, string RebuiltLedgerHash, string JournalLedgerHash, long? SnapshotSequenceNr,
    string OrdersHash, string StateHash, LedgerState Ledger, OrderBook Book)
{
    public bool Consistent => RebuiltLedgerHash == JournalLedgerHash;
}

/// <summary>Which state a journal event went into (<see cref="JournalAnalysis.Fold"/>).</summary>
public enum FoldedInto { Nothing, Ledger, Orders }

/// <summary>The journal's account for `hueyp report`: NAV by UTC day, closed trades, TCA per filled order.</summary>
public sealed record JournalPerformance(PerformanceReport Report, IReadOnlyList<OrderTca> Tca, IReadOnlyList<DailyTcaSummary> DailyTca,
    IReadOnlyList<(DateOnly Day, decimal Nav)> DailyNav, LedgerState Ledger);

/// <summary>
/// Pure folds over the journal (read with the read journal, no actor involved): the domain's Apply functions rebuild
/// ledger and orders from scratch, which is how a rebuild proves the live state was derived from its events only.
/// </summary>
public static class JournalAnalysis
{
    /// <summary>
    /// One step of the rebuild: the event applied to the ledger or to the order book, whichever stream it is from
    /// (anything else is left alone). A failing Apply throws before either is assigned, so both stay as they were.
    /// </summary>
    public static FoldedInto Fold(EventEnvelope envelope, ref LedgerState ledger, ref OrderBook book)
    {
        switch (envelope.Event)
        {
            case ILedgerEvent e when envelope.PersistenceId == LedgerActor.Id:
                ledger = LedgerMachine.Apply(ledger, e);
                return FoldedInto.Ledger;
            default:
                return TryFoldOrder(envelope, ref book) ? FoldedInto.Orders : FoldedInto.Nothing;
        }
    }

    /// <summary>Folds the envelope into the order book when it is an order entity's event; returns whether it was.</summary>
    public static bool TryFoldOrder(EventEnvelope envelope, ref OrderBook book)
    {
        if (OrderEventOf(envelope) is not { } e) return false;
        book = book.Apply(e);
        return true;
    }

    /// <summary>The event when it is one of an order entity's own stream (persistence id <c>order-&lt;id&gt;</c>); else null.</summary>
    public static IOrderEvent? OrderEventOf(EventEnvelope envelope) =>
        envelope.Event is IOrderEvent e && envelope.PersistenceId.StartsWith("order-", StringComparison.Ordinal) ? e : null;

    public static async Task<StateRebuild> RebuildAsync(PersistenceStore store, LedgerSettings? settings = null, CancellationToken ct = default)
    {
        settings ??= new LedgerSettings();
        var ledger = settings.Empty();
        var book = OrderBook.Empty;
        long events = 0, ledgerEvents = 0;
        await foreach (var envelope in store.ReadJournal.CurrentAllEvents(0, ct).ConfigureAwait(false))
        {
            events++;
            if (Fold(envelope, ref ledger, ref book) == FoldedInto.Ledger) ledgerEvents++;
        }

        // The ledger's own view: its latest snapshot plus the events after it, exactly what its recovery reads.
        var snapshot = await store.SnapshotStore.LoadAsync(LedgerActor.Id, SnapshotSelectionCriteria.Latest, ct).ConfigureAwait(false);
        var held = snapshot is null ? settings.Empty() : ((LedgerSnapshot)snapshot.Snapshot).ToState();
        var from = (snapshot?.Metadata.SequenceNr ?? 0) + 1;
        await foreach (var envelope in store.ReadJournal.CurrentEventsByPersistenceId(LedgerActor.Id, from, long.MaxValue, ct).ConfigureAwait(false))
            if (envelope.Event is ILedgerEvent e) held = LedgerMachine.Apply(held, e);

        var rebuiltHash = LedgerStateHash.Compute(ledger);
        var ordersHash = OrderBookHash.Compute(book);
        return new StateRebuild(events, book.Orders.Count, ledgerEvents, rebuiltHash, LedgerStateHash.Compute(held), snapshot?.Metadata.SequenceNr,
            ordersHash, OrderBookHash.Combine(rebuiltHash, ordersHash), ledger, book);
    }

    public static async Task<JournalPerformance> PerformanceAsync(PersistenceStore store, LedgerSettings? settings = null, CancellationToken ct = default)
    {
        settings ??= new LedgerSettings();
        var ledger = settings.Empty();
        var book = OrderBook.Empty;
        var dailyNav = new List<(DateOnly Day, decimal Nav)>();
        var trades = new List<ClosedTrade>();
        var open = new Dictionary<string, (DateTime Opened, decimal Pnl)>(StringComparer.Ordinal);
        var fillsByOrder = new Dictionary<string, List<FillBooked>>(StringComparer.Ordinal);
        await foreach (var envelope in store.ReadJournal.CurrentAllEvents(0, ct).ConfigureAwait(false))
        {
            TryFoldOrder(envelope, ref book);
            if (envelope.Event is not ILedgerEvent e || envelope.PersistenceId != LedgerActor.Id) continue;
            var before = ledger;
            ledger = LedgerMachine.Apply(ledger, e);
            if (e.TimeUtc > DateTime.UnixEpoch)
            {
                var day = DateOnly.FromDateTime(e.TimeUtc);
                if (dailyNav.Count > 0 && dailyNav[^1].Day == day) dailyNav[^1] = (day, ledger.Nav);
                else dailyNav.Add((day, ledger.Nav));
            }
            if (e is not FillBooked fill || ReferenceEquals(before, ledger)) continue;
            fillsByOrder.TryAdd(fill.ClientOrderId, []);
            fillsByOrder[fill.ClientOrderId].Add(fill);
            // A trade runs from flat to flat; its P&L is the realized change net of fees, as the ledger booked it.
            var pnl = ledger.RealizedPnl - before.RealizedPnl - fill.Fee;
            var (opened, sofar) = open.GetValueOrDefault(fill.Symbol, (fill.TimeUtc, 0m));
            if (before.PositionOf(fill.Symbol).IsFlat) (opened, sofar) = (fill.TimeUtc, 0m);
            sofar += pnl;
            if (ledger.PositionOf(fill.Symbol).IsFlat)
            {
                trades.Add(new ClosedTrade(fill.Symbol, opened, fill.TimeUtc, sofar));
                open.Remove(fill.Symbol);
            }
            else open[fill.Symbol] = (opened, sofar);
        }

        var returns = PerformanceReport.ReturnsFromNav(dailyNav.Select(d => d.Nav).ToList());
        DateTime? start = dailyNav.Count > 0 ? dailyNav[0].Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : null;
        DateTime? end = dailyNav.Count > 0 ? dailyNav[^1].Day.ToDateTime(TimeOnly.MaxValue, DateTimeKind.Utc) : null;
        var report = PerformanceReport.Create(returns, ReturnMetrics.TradingDaysPerYear, trades, start, end);
        // No quote mid is journaled at fill time, so the arrival mid stands in for it: spread paid is then measured
        // against the decision's mid, like the shortfall.
        var tca = book.Orders.Values.Where(o => o.FilledQuantity > 0 && fillsByOrder.ContainsKey(o.ClientOrderId))
            .Select(o => TcaCalculator.ForOrder(new TcaOrderInput(o.ClientOrderId, o.Symbol, o.Side, o.ArrivalMid, o.DecisionTimeUtc,
                o.SubmittedAtUtc ?? o.DecisionTimeUtc, fillsByOrder[o.ClientOrderId].Select(f => new TcaFill(f.Quantity, f.Price, o.ArrivalMid, f.TimeUtc)).ToList())))
            .ToList();
        return new JournalPerformance(report, tca, TcaCalculator.DailyRollup(tca), dailyNav, ledger);
    }
}
