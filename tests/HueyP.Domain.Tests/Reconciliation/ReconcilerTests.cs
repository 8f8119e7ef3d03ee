using HueyP.Domain.Broker;
using HueyP.Domain.Ledger;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.Reconciliation;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Reconciliation;

public class ReconcilerTests
{
    private static readonly DateTime T0 = new(2025, 4, 1, 10, 0, 0, DateTimeKind.Utc);
    private const string A = "EMAX-EURUSD-20250401T1000-0001";   // filled at the broker while we were down
    private const string B = "EMAX-EURUSD-20250401T1000-0002";   // canceled at the broker
    private const string C = "EMAX-EURUSD-20250401T1000-0003";   // never reached the broker

    private static OrderInitialized Init(string id, OrderType type = OrderType.Market, decimal? price = null) =>
        new(id, "EMAX", "EURUSD", Side.Buy, type, 10_000m, price, 1.0800m, 1.0900m, T0, T0, 1.0850m, T0);

    /// <summary>Journal and broker after an outage: the journal stopped at "submitted", the broker kept trading.</summary>
    private static (OrderBook Journal, LedgerState Ledger, BrokerSnapshot Broker) Outage()
    {
        var journal = OrderBook.Empty;
        foreach (var e in new IOrderEvent[]
                 {
                     Init(A), new OrderSubmitted(A, T0), new OrderOutcomeUnknown(A, "connection lost", T0.AddSeconds(5)),
                     Init(B, OrderType.Limit, 1.0820m), new OrderSubmitted(B, T0), new OrderAccepted(B, "PB00000002", T0.AddSeconds(1)),
                     Init(C), new OrderSubmitted(C, T0),
                 })
        {
            var (next, decision) = journal.Handle(e);
            Assert.True(decision.IsAccepted, decision.Error);
            journal = next;
        }

        var options = new PaperBrokerOptions([new PaperSymbol("EURUSD", 0.0001m)], Hours: MarketHours.Continuous);
        var broker = PaperBroker.OnQuote(PaperBrokerState.Open(options, 10_000m), new Quote("EURUSD", T0, 1.0850, 1.0852)).State;
        broker = PaperBroker.Submit(broker, new BrokerOrderRequest(A, "EURUSD", Side.Buy, OrderType.Market, 10_000m, null, 1.0800m, 1.0900m), T0).State;
        broker = PaperBroker.Submit(broker, new BrokerOrderRequest(B, "EURUSD", Side.Buy, OrderType.Limit, 10_000m, 1.0820m, 1.0750m, 1.0900m), T0).State;
        broker = PaperBroker.Submit(broker, new BrokerOrderRequest("MANUAL-1", "EURUSD", Side.Sell, OrderType.Limit, 1_000m, 1.2000m, null, null), T0).State;
        broker = PaperBroker.OnQuote(broker, new Quote("EURUSD", T0.AddSeconds(10), 1.0855, 1.0857)).State;
        broker = PaperBroker.Cancel(broker, B, T0.AddSeconds(20)).State;

        var snapshot = BrokerSnapshot.From(broker, T0.AddMinutes(5));
        // A position the broker holds with no execution we can see (e.g. opened by hand in the terminal).
        snapshot = snapshot with { Positions = [.. snapshot.Positions, new BrokerPositionView("GBPUSD", 5_000m, 1.3000m)] };
        return (journal, LedgerState.Open(LedgerOptions.Default, 10_000m, T0), snapshot);
    }

    private static (OrderBook, LedgerState) ApplyAll(OrderBook journal, LedgerState ledger, ReconciliationReport report)
    {
        foreach (var e in report.OrderEvents)
        {
            var (next, decision) = journal.Handle(e);
            Assert.True(decision.IsAccepted, decision.Error);
            journal = next;
        }
        foreach (var e in report.LedgerEvents)
        {
            var (next, decision) = LedgerMachine.Handle(ledger, e);
            Assert.True(decision.IsAccepted, decision.Message);
            ledger = next;
        }
        return (journal, ledger);
    }

    [Fact]
    public void Differences_become_synthetic_events_that_bring_the_journal_in_line_with_the_broker()
    {
        var (journal, ledger, broker) = Outage();

        var report = Reconciler.Run(journal, ledger, broker);
        var (fixedJournal, fixedLedger) = ApplyAll(journal, ledger, report);

        Assert.Equal(OrderStatus.Filled, fixedJournal.Find(A)!.Status);
        Assert.Equal(1.0857m, fixedJournal.Find(A)!.AverageFillPrice);
        Assert.False(fixedJournal.IsSymbolHeld("EURUSD"));
        Assert.Equal(OrderStatus.Canceled, fixedJournal.Find(B)!.Status);
        Assert.Equal(OrderStatus.Canceled, fixedJournal.Find(C)!.Status);
        Assert.Contains("unknown to broker", fixedJournal.Find(C)!.LastReason);
        Assert.Equal(10_000m, fixedLedger.PositionOf("EURUSD").Quantity);
        Assert.Equal(5_000m, fixedLedger.PositionOf("GBPUSD").Quantity);
        Assert.Equal(1.3000m, fixedLedger.PositionOf("GBPUSD").AveragePrice);

        var kinds = report.Findings.Select(f => f.Kind).ToList();
        Assert.Contains(FindingKind.MissedAcceptance, kinds);
        Assert.Contains(FindingKind.MissedFill, kinds);
        Assert.Contains(FindingKind.CanceledAtBroker, kinds);
        Assert.Contains(FindingKind.UnknownToBroker, kinds);
        Assert.Contains(FindingKind.PositionMismatch, kinds);
        Assert.Single(report.Findings, f => f.Kind == FindingKind.OrphanAtBroker);   // MANUAL-1; A's SL/TP children are ours
    }

    [Fact]
    public void A_second_run_after_applying_proposes_nothing()
    {
        var (journal, ledger, broker) = Outage();
        var first = Reconciler.Run(journal, ledger, broker);
        var (fixedJournal, fixedLedger) = ApplyAll(journal, ledger, first);

        var second = Reconciler.Run(fixedJournal, fixedLedger, broker);

        Assert.Empty(second.OrderEvents);
        Assert.Empty(second.LedgerEvents);
        // Only what needs a human is still reported, under the same id.
        var orphan = Assert.Single(second.Findings);
        Assert.Equal(first.Findings.Single(f => f.Kind == FindingKind.OrphanAtBroker).Id, orphan.Id);
    }

    [Fact]
    public void Running_twice_on_the_same_state_yields_identical_ids_so_a_double_apply_is_a_no_op()
    {
        var (journal, ledger, broker) = Outage();
        var first = Reconciler.Run(journal, ledger, broker);
        var again = Reconciler.Run(journal, ledger, broker);

        Assert.Equal(first.Findings, again.Findings);
        Assert.Equal(first.LedgerEvents, again.LedgerEvents);
        Assert.Equal(first.Render(), again.Render());

        var (_, fixedLedger) = ApplyAll(journal, ledger, first);
        foreach (var e in again.LedgerEvents)
            Assert.Equal(LedgerOutcome.Duplicate, LedgerMachine.Decide(fixedLedger, e).Outcome);
    }

    [Fact]
    public void The_report_reads_as_a_diff()
    {
        var (journal, ledger, broker) = Outage();
        var text = Reconciler.Run(journal, ledger, broker).Render();
        Assert.Contains("PositionMismatch position GBPUSD", text);
        Assert.Contains("journal: 0", text);
        Assert.Contains("broker:  5000", text);
        Assert.Contains("OrphanAtBroker order MANUAL-1", text);
    }

    [Fact]
    public void A_journal_that_matches_the_broker_is_clean()
    {
        var ledger = LedgerState.Open(LedgerOptions.Default, 10_000m, T0);
        var report = Reconciler.Run(OrderBook.Empty, ledger, new BrokerSnapshot(T0, [], [], []));
        Assert.True(report.IsClean);
        Assert.EndsWith("journal and broker agree.\n", report.Render());
    }

    private static readonly TimeSpan ResendWindow = TimeSpan.FromSeconds(30);

    /// <summary>C only: submitted at T0, never reached the broker; the broker's snapshot is taken <paramref name="after"/> that.</summary>
    private static (OrderBook Journal, LedgerState Ledger, BrokerSnapshot Broker) Unsent(TimeSpan after)
    {
        var journal = OrderBook.Empty;
        foreach (var e in new IOrderEvent[] { Init(C), new OrderSubmitted(C, T0) }) journal = journal.Handle(e).Book;
        return (journal, LedgerState.Open(LedgerOptions.Default, 10_000m, T0), new BrokerSnapshot(T0 + after, [], [], []));
    }

    [Fact]
    public void A_recent_submission_the_broker_never_received_is_listed_for_resending_and_not_canceled()
    {
        var (journal, ledger, broker) = Unsent(TimeSpan.FromSeconds(12));

        var report = Reconciler.Run(journal, ledger, broker, ResendWindow);

        Assert.Empty(report.OrderEvents);
        Assert.Equal([C], report.ToResend);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(FindingKind.UnsentResent, finding.Kind);
        Assert.Contains("sent to the broker again", finding.Action);
        Assert.False(report.IsClean);
        Assert.Contains($"UnsentResent order {C}", report.Render());
        Assert.Equal(report.Findings, Reconciler.Run(journal, ledger, broker, ResendWindow).Findings);
    }

    [Fact]
    public void A_submission_older_than_the_resend_window_is_canceled_as_unknown_to_the_broker()
    {
        var (journal, ledger, broker) = Unsent(TimeSpan.FromSeconds(31));

        var report = Reconciler.Run(journal, ledger, broker, ResendWindow);

        Assert.Empty(report.ToResend);
        var canceled = Assert.IsType<OrderCanceled>(Assert.Single(report.OrderEvents));
        Assert.Contains("unknown to broker", canceled.Reason);
        Assert.Equal(FindingKind.UnknownToBroker, Assert.Single(report.Findings).Kind);
    }

    [Fact]
    public void Only_a_submission_nobody_acknowledged_is_resent_an_unknown_outcome_or_no_window_cancels_it()
    {
        var (journal, ledger, broker) = Unsent(TimeSpan.FromSeconds(12));
        var unknown = journal.Handle(new OrderOutcomeUnknown(C, "no answer from the broker within 5 s", T0.AddSeconds(5))).Book;

        var held = Reconciler.Run(unknown, ledger, broker, ResendWindow);
        var noWindow = Reconciler.Run(journal, ledger, broker);

        Assert.Empty(held.ToResend);
        Assert.IsType<OrderCanceled>(Assert.Single(held.OrderEvents));
        Assert.Empty(noWindow.ToResend);
        Assert.IsType<OrderCanceled>(Assert.Single(noWindow.OrderEvents));
    }

    [Fact]
    public void A_broker_clock_far_behind_the_submission_tells_nothing_about_recency_and_the_order_is_canceled()
    {
        var (journal, ledger, _) = Unsent(TimeSpan.Zero);
        var slightlyBehind = new BrokerSnapshot(T0.AddSeconds(-2), [], [], []);
        var hoursBehind = new BrokerSnapshot(T0.AddHours(-2), [], [], []);

        Assert.Equal([C], Reconciler.Run(journal, ledger, slightlyBehind, ResendWindow).ToResend);
        var report = Reconciler.Run(journal, ledger, hoursBehind, ResendWindow);
        Assert.Empty(report.ToResend);
        Assert.Equal(FindingKind.UnknownToBroker, Assert.Single(report.Findings).Kind);
    }

    [Fact]
    public void Once_the_broker_has_the_resent_order_a_second_run_finds_nothing()
    {
        var (journal, ledger, _) = Unsent(TimeSpan.FromSeconds(12));
        var options = new PaperBrokerOptions([new PaperSymbol("EURUSD", 0.0001m)], Hours: MarketHours.Continuous);
        var state = PaperBroker.OnQuote(PaperBrokerState.Open(options, 10_000m), new Quote("EURUSD", T0, 1.0850, 1.0852)).State;
        var (withOrder, reports) = PaperBroker.Submit(state, new BrokerOrderRequest(C, "EURUSD", Side.Buy, OrderType.Market, 10_000m, null, 1.0800m, 1.0900m), T0.AddSeconds(12));
        var accepted = Assert.IsType<BrokerOrderAccepted>(Assert.Single(reports));
        journal = journal.Handle(new OrderAccepted(C, accepted.BrokerOrderId, T0.AddSeconds(12))).Book;

        var second = Reconciler.Run(journal, ledger, BrokerSnapshot.From(withOrder, T0.AddSeconds(13)), ResendWindow);

        Assert.True(second.IsClean, second.Render());
        Assert.Empty(second.ToResend);
    }
}
