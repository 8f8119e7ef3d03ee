using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HueyP.Domain.Broker;
using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Reconciliation;

/// <summary>
/// Compares the journal (orders and ledger) with a broker snapshot and proposes the synthetic events that make the
/// journal agree with the broker, the broker being the source of truth for what was executed. Every event is
/// checked against the order state machine / ledger before it is proposed. Ids are deterministic: fills keep the
/// broker's fill id, adjustments are named by a hash of the difference, so a repeated run proposes the same ids
/// (which the ledger deduplicates) and a run after applying proposes nothing.
/// A submitted order the broker has never heard of is canceled, unless it was submitted within the resend window
/// before the snapshot: then it is listed for resending (<see cref="ReconciliationReport.ToResend"/>) and no event is
/// proposed. Only an order that cannot have reached the broker in any form qualifies: never accepted, nothing filled,
/// and not waiting on an unknown outcome (that order resolves itself by asking the broker).
/// </summary>
public static class Reconciler
{
    /// <param name="resendUnsentWithin">
    /// How close to <see cref="BrokerSnapshot.AsOfUtc"/> (either side) the submission of an order unknown to the broker
    /// must be for it to be sent again rather than canceled; zero never resends.
    /// </param>
    public static ReconciliationReport Run(OrderBook journal, LedgerState ledger, BrokerSnapshot broker, TimeSpan resendUnsentWithin = default)
    {
        var findings = new List<ReconciliationFinding>();
        var toResend = new List<string>();
        var orderEvents = new List<IOrderEvent>();
        var ledgerEvents = new List<ILedgerEvent>();
        var brokerOrders = broker.Orders.ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
        var fillsByOrder = broker.Fills.ToLookup(f => f.ClientOrderId, StringComparer.Ordinal);

        foreach (var order in journal.Orders.Values)
        {
            if (order.Status is OrderStatus.Initialized or OrderStatus.Denied) continue;
            ReconcileOrder(order, brokerOrders.GetValueOrDefault(order.ClientOrderId), fillsByOrder[order.ClientOrderId],
                broker.AsOfUtc, resendUnsentWithin, findings, orderEvents, toResend);
        }

        var projectedLedger = ledger;
        foreach (var fill in broker.Fills.OrderBy(f => f.TimeUtc).ThenBy(f => f.FillId, StringComparer.Ordinal))
        {
            if (projectedLedger.AppliedEntryIds.Contains(fill.FillId)) continue;
            var booked = new FillBooked(fill.FillId, fill.ClientOrderId, fill.Symbol, fill.Side, fill.Quantity, fill.Price, fill.Fee, fill.TimeUtc);
            var (next, decision) = LedgerMachine.Handle(projectedLedger, booked);
            if (decision.IsAccepted)
            {
                projectedLedger = next;
                ledgerEvents.Add(booked);
            }
            else findings.Add(Review($"fill {fill.FillId}", "not booked", Describe(fill), decision.Message));
        }

        foreach (var brokerOrder in broker.Orders.Where(o => o.Status == BrokerOrderStatus.Working).OrderBy(o => o.BrokerOrderId, StringComparer.Ordinal))
        {
            var known = journal.Find(brokerOrder.ClientOrderId) is not null
                || (brokerOrder.ParentClientOrderId is { } parent && journal.Find(parent) is not null);
            if (!known)
                findings.Add(new ReconciliationFinding(IdOf("orphan", brokerOrder.BrokerOrderId), FindingKind.OrphanAtBroker,
                    $"order {brokerOrder.ClientOrderId}", "unknown",
                    $"working {brokerOrder.Side} {N(brokerOrder.Quantity)} {brokerOrder.Symbol} ({brokerOrder.BrokerOrderId})",
                    "not ours: cancel it at the broker or adopt it by hand"));
        }

        ReconcilePositions(projectedLedger, broker, findings, ledgerEvents);
        return new ReconciliationReport(broker.AsOfUtc, findings, orderEvents, ledgerEvents) { ToResend = toResend };
    }

    private static void ReconcileOrder(OrderState order, BrokerOrderView? atBroker, IEnumerable<BrokerFillView> brokerFills,
        DateTime asOfUtc, TimeSpan resendUnsentWithin, List<ReconciliationFinding> findings, List<IOrderEvent> events, List<string> toResend)
    {
        var state = order;
        bool Propose(IOrderEvent e, FindingKind kind, string journalSide, string brokerSide, string action)
        {
            var decision = OrderMachine.Decide(state, e);
            if (decision.Outcome == OrderDecisionOutcome.Duplicate) return true;
            if (!decision.IsAccepted)
            {
                findings.Add(Review($"order {order.ClientOrderId}", journalSide, brokerSide, decision.Error));
                return false;
            }
            state = OrderMachine.Apply(state, e);
            events.Add(e);
            findings.Add(new ReconciliationFinding(IdOf(kind.ToString(), order.ClientOrderId, e is OrderFilled f ? f.FillId : ""),
                kind, $"order {order.ClientOrderId}", journalSide, brokerSide, action));
            return true;
        }

        if (atBroker is null)
        {
            if (IsUnsentAndRecent(state, asOfUtc, resendUnsentWithin))
            {
                toResend.Add(order.ClientOrderId);
                findings.Add(new ReconciliationFinding(IdOf(nameof(FindingKind.UnsentResent), order.ClientOrderId), FindingKind.UnsentResent,
                    $"order {order.ClientOrderId}", $"SUBMITTED at {state.SubmittedAtUtc:yyyy-MM-dd HH:mm:ss}", "no such order",
                    "sent to the broker again (it never received it)"));
            }
            else if (state.IsWorking)
                Propose(new OrderCanceled(order.ClientOrderId, "reconciliation: unknown to broker", asOfUtc), FindingKind.UnknownToBroker,
                    state.Status.ToDisplay(), "no such order", "marked canceled (the broker never had it or no longer knows it)");
            return;
        }

        var missing = brokerFills.Where(f => !state.FillIds.Contains(f.FillId)).OrderBy(f => f.TimeUtc).ThenBy(f => f.FillId, StringComparer.Ordinal).ToList();
        if (state.Status == OrderStatus.Submitted && (atBroker.Status == BrokerOrderStatus.Working || missing.Count > 0))
        {
            var at = missing.Count > 0 ? missing[0].TimeUtc : asOfUtc;
            if (!Propose(new OrderAccepted(order.ClientOrderId, atBroker.BrokerOrderId, at), FindingKind.MissedAcceptance,
                    "SUBMITTED", $"accepted as {atBroker.BrokerOrderId}", "recorded the acceptance"))
                return;
        }
        foreach (var fill in missing)
        {
            if (!Propose(new OrderFilled(order.ClientOrderId, fill.FillId, fill.Quantity, fill.Price, fill.Fee, fill.TimeUtc), FindingKind.MissedFill,
                    $"{state.Status.ToDisplay()}, filled {N(state.FilledQuantity)}", Describe(fill), "recorded the fill the broker executed"))
                return;
        }
        if (atBroker.Status == BrokerOrderStatus.Canceled && state.IsWorking)
            Propose(new OrderCanceled(order.ClientOrderId, "reconciliation: canceled at broker", asOfUtc), FindingKind.CanceledAtBroker,
                state.Status.ToDisplay(), "canceled", "marked canceled");
        else if (atBroker.Status == BrokerOrderStatus.Filled && state.Status != OrderStatus.Filled)
            findings.Add(Review($"order {order.ClientOrderId}", $"{state.Status.ToDisplay()}, filled {N(state.FilledQuantity)}",
                $"filled {N(atBroker.FilledQuantity)}", "broker says filled but its executions do not add up"));
    }

    /// <summary>
    /// Submitted, then nothing: no acceptance, no fill, no unknown outcome, and recent enough that the signal still
    /// stands. The broker dedupes by client order id, so sending it again cannot execute it twice. A submission further
    /// than the window ahead of the broker's clock says the two clocks disagree (a broker that has seen no quote yet, a
    /// server clock in another zone): recency cannot be told, so the order is canceled as before.
    /// </summary>
    private static bool IsUnsentAndRecent(OrderState state, DateTime asOfUtc, TimeSpan window) =>
        window > TimeSpan.Zero
        && state is { Status: OrderStatus.Submitted, BrokerOrderId: null, FilledQuantity: 0m, OutcomeUnknown: false, SubmittedAtUtc: { } submitted }
        && (asOfUtc - submitted).Duration() <= window;

    private static void ReconcilePositions(LedgerState projected, BrokerSnapshot broker, List<ReconciliationFinding> findings,
        List<ILedgerEvent> events)
    {
        var brokerPositions = broker.Positions.ToDictionary(p => p.Symbol, StringComparer.Ordinal);
        var symbols = projected.Positions.Keys.Concat(brokerPositions.Keys).Distinct().Order(StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            var ours = projected.PositionOf(symbol).Quantity;
            var theirs = brokerPositions.GetValueOrDefault(symbol)?.Quantity ?? 0m;
            if (ours == theirs) continue;
            var id = IdOf("position", symbol, LedgerStateHash.D(ours), LedgerStateHash.D(theirs));
            var price = brokerPositions.GetValueOrDefault(symbol)?.AveragePrice is > 0 and var avg ? avg
                : projected.Marks.GetValueOrDefault(symbol)?.Mid ?? projected.PositionOf(symbol).AveragePrice;
            var adjustment = new PositionAdjusted(id, symbol, theirs - ours, price, "reconciliation: broker position differs", broker.AsOfUtc);
            var decision = LedgerMachine.Decide(projected, adjustment);
            if (decision.Outcome == LedgerOutcome.Duplicate) continue;
            if (!decision.IsAccepted)
            {
                findings.Add(Review($"position {symbol}", N(ours), N(theirs), decision.Message));
                continue;
            }
            events.Add(adjustment);
            findings.Add(new ReconciliationFinding(id, FindingKind.PositionMismatch, $"position {symbol}", N(ours), N(theirs),
                $"adjusted by {N(theirs - ours)} at {N(price)}"));
        }
    }

    private static ReconciliationFinding Review(string subject, string journal, string broker, string? why) =>
        new(IdOf("review", subject, journal, broker), FindingKind.NeedsReview, subject, journal, broker, $"needs a human: {why}");

    /// <summary>RECON- plus the first 16 hex digits of SHA-256 over the difference's canonical description.</summary>
    public static string IdOf(params string[] parts) =>
        "RECON-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))[..16];

    private static string Describe(BrokerFillView f) =>
        $"fill {f.FillId}: {f.Side} {N(f.Quantity)} {f.Symbol} @ {N(f.Price)} at {f.TimeUtc:yyyy-MM-dd HH:mm:ss}";

    private static string N(decimal value) => LedgerStateHash.D(value);
}
