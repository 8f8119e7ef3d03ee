using HueyP.Actors;
using HueyP.Domain.Ledger;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Intents;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

public sealed class IntakeAndLedgerTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTime Decision = new(2025, 4, 1, 10, 35, 0, DateTimeKind.Utc);
    private readonly PersistenceStore _store;

    public IntakeAndLedgerTests(ITestOutputHelper output) : base(output: output)
    {
        _store = JournalFactory.Create(OrderReplayTests.Journal(TestData.TempFile("intake.db")), OrderSideSerialization.Create());
        PersistenceExtension.Install(Sys, _store);
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private IntentsFlushed Flush(IActorRef intake)
    {
        intake.Tell(FlushIntents.Instance, TestActor);
        return ExpectMsg<IntentsFlushed>(Wait);
    }

    [Fact]
    public void A_duplicate_intent_is_blocked_with_DUPLICATE_ORDER_BLOCK_and_nothing_is_sent_twice()
    {
        var broker = CreateTestProbe();
        var orders = Sys.ActorOf(OrderRegion.Props(() => broker.Ref, null), "orders");
        var intake = Sys.ActorOf(OrderIntakeActor.Props(new OrderIntakeSettings(), orders), "intake");
        var intent = OrderActorTests.Intent(Decision, quantity: 0.1m); // lots: the intake books 10,000 units

        intake.Tell(new SubmitOrderIntent(intent, null!));
        intake.Tell(new SubmitOrderIntent(intent, null!));
        var first = Flush(intake);
        // The very same intent once more, in a later batch (e.g. a resend after a restart).
        intake.Tell(new SubmitOrderIntent(intent, null!));
        var again = Flush(intake);
        // Same symbol, side, size and bar but a later decision: a different intent with the same shape.
        intake.Tell(new SubmitOrderIntent(intent with { DecisionTimeUtc = Decision.AddSeconds(30) }, null!));
        var shape = Flush(intake);

        Assert.Equal([IntentOutcomeKind.Submitted, IntentOutcomeKind.Replayed], first.Outcomes.Select(o => o.Kind));
        Assert.Equal(PreTradeReasonCodes.DuplicateOrderBlock, first.Outcomes[1].ReasonCode);
        Assert.Equal(first.Outcomes[0].ClientOrderId, first.Outcomes[1].ClientOrderId);
        Assert.Equal(IntentOutcomeKind.Replayed, again.Outcomes.Single().Kind);
        Assert.Equal(IntentOutcomeKind.Denied, shape.Outcomes.Single().Kind);
        Assert.Equal(PreTradeReasonCodes.DuplicateOrderBlock, shape.Outcomes.Single().ReasonCode);
        Assert.Equal(first.Outcomes[0].ClientOrderId, broker.ExpectMsg<SubmitToBroker>(Wait).Request.ClientOrderId);
        intake.Tell(GetIntakeStats.Instance, TestActor);
        var stats = ExpectMsg<IntakeStats>(Wait);
        Assert.Equal(2, stats.Orders);
        Assert.Equal(1, stats.Submitted);
        Assert.Equal(1, stats.DeniedByReason[PreTradeReasonCodes.DuplicateOrderBlock]);
        Assert.False(broker.HasMessages);
    }

    [Fact]
    public void The_intake_restores_its_id_counter_and_idempotency_from_the_journal_after_a_crash()
    {
        var broker = CreateTestProbe();
        var orders = Sys.ActorOf(OrderRegion.Props(() => broker.Ref, null), "orders");
        var intake = Sys.ActorOf(OrderIntakeActor.Props(new OrderIntakeSettings(), orders), "intake");
        var intent = OrderActorTests.Intent(Decision, quantity: 0.1m); // lots: the intake books 10,000 units
        intake.Tell(new SubmitOrderIntent(intent, null!));
        var first = Flush(intake).Outcomes.Single();

        Assert.True(Chaos.Crash(intake));
        intake.Tell(new SubmitOrderIntent(intent, null!));
        intake.Tell(new SubmitOrderIntent(intent with { Side = Side.Sell, StopLoss = 1.09, TakeProfit = 1.07, DecisionTimeUtc = Decision.AddMinutes(5) }, null!));
        var after = Flush(intake).Outcomes;

        Assert.EndsWith("-0001", first.ClientOrderId);
        Assert.Equal(IntentOutcomeKind.Replayed, after[0].Kind);
        Assert.Equal(first.ClientOrderId, after[0].ClientOrderId);
        Assert.EndsWith("-0002", after[1].ClientOrderId);
        Assert.Equal(2, new[] { broker.ExpectMsg<SubmitToBroker>(Wait), broker.ExpectMsg<SubmitToBroker>(Wait) }.Select(s => s.Request.ClientOrderId).Distinct().Count());
    }

    [Fact]
    public void The_ledger_books_a_fill_once_and_ignores_its_duplicate()
    {
        var ledger = Sys.ActorOf(LedgerActor.Props(new LedgerSettings { SnapshotEvery = 2 }), "ledger");
        var fill = new FillBooked("PB1-F000001", "X-1", "EURUSD", Side.Buy, 10_000m, 1.08m, 0.5m, Decision);

        ledger.Tell(new BookLedgerEvent(fill), TestActor);
        Assert.Equal(LedgerOutcome.Accepted, ExpectMsg<LedgerBooked>(Wait).Outcome);
        ledger.Tell(GetLedgerState.Instance, TestActor);
        var once = ExpectMsg<LedgerView>(Wait);
        ledger.Tell(new BookLedgerEvent(fill), TestActor);
        Assert.Equal(LedgerOutcome.Duplicate, ExpectMsg<LedgerBooked>(Wait).Outcome);
        Assert.True(Chaos.Crash(ledger));
        ledger.Tell(GetLedgerState.Instance, TestActor);
        var after = ExpectMsg<LedgerView>(Wait);

        Assert.Equal(10_000m, once.State.PositionOf("EURUSD").Quantity);
        Assert.Equal(once.Hash, after.Hash);
        Assert.Equal(once.SequenceNr, after.SequenceNr);
    }

    [Fact]
    public void Fills_booked_together_are_booked_as_one_by_one_and_a_repeat_inside_them_is_ignored()
    {
        var settings = new LedgerSettings();
        var ledger = Sys.ActorOf(LedgerActor.Props(settings), "ledger");
        var entry = new FillBooked("PB1-F000001", "X-1", "EURUSD", Side.Buy, 10_000m, 1.08m, 0.5m, Decision);
        var exit = new FillBooked("PB3-F000002", "X-1-TP", "EURUSD", Side.Sell, 10_000m, 1.09m, 0.5m, Decision.AddSeconds(1));
        var fills = new ILedgerEvent[] { entry, exit, entry };

        ledger.Tell(new BookLedgerEvents(fills), TestActor);
        var replies = new[] { ExpectMsg<LedgerBooked>(Wait), ExpectMsg<LedgerBooked>(Wait), ExpectMsg<LedgerBooked>(Wait) };
        ledger.Tell(GetLedgerState.Instance, TestActor);
        var booked = ExpectMsg<LedgerView>(Wait);
        // What the journal holds is what the state says: a restart recovers exactly it.
        Assert.True(Chaos.Crash(ledger));
        ledger.Tell(GetLedgerState.Instance, TestActor);
        var recovered = ExpectMsg<LedgerView>(Wait);
        // The same fills booked one at a time by the ledger's own rules.
        var expected = LedgerMachine.Apply(settings.Empty(),
            new CashAdjusted(LedgerSettings.OpeningDepositId, settings.OpeningBalance, "opening balance", DateTime.UnixEpoch));
        foreach (var fill in fills) expected = LedgerMachine.Handle(expected, fill).State;

        // A duplicate is answered at once, a booking once it is journaled (as for single bookings): one answer each.
        Assert.Equal([LedgerOutcome.Accepted, LedgerOutcome.Accepted, LedgerOutcome.Duplicate], replies.Select(r => r.Outcome).Order());
        Assert.Equal(2, booked.Fills);
        Assert.Equal(100m, booked.State.RealizedPnl);
        Assert.Equal(1m, booked.State.FeesPaid);
        Assert.True(booked.State.PositionOf("EURUSD").IsFlat);
        Assert.Equal(LedgerStateHash.Compute(expected), booked.Hash);
        Assert.Equal(booked.Hash, recovered.Hash);
        Assert.Equal(booked.SequenceNr, recovered.SequenceNr);
    }
}
