using HueyP.Actors;
using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

public sealed class OrderActorTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly DateTime Bar = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    private readonly PersistenceStore _store;

    public OrderActorTests(ITestOutputHelper output) : base(output: output)
    {
        _store = JournalFactory.Create(OrderReplayTests.Journal(TestData.TempFile("orders.db")), OrderSideSerialization.Create());
        PersistenceExtension.Install(Sys, _store);
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    internal static OrderIntent Intent(DateTime decision, Side side = Side.Buy, decimal quantity = 10_000m) =>
        new("EMAX", "EURUSD", side, quantity, OrderType.Market, Bar, decision, 1.08, null,
            side == Side.Buy ? 1.07 : 1.09, side == Side.Buy ? 1.09 : 1.07, 1, "test");

    private static OrderInitialized Init(string id) =>
        (OrderInitialized)OrderMachine.Initialize(Intent(Bar.AddMinutes(5)), id, Bar.AddMinutes(5)).Events[0];

    private IActorRef Region(IActorRef broker, string name = "orders") => Sys.ActorOf(OrderRegion.Props(() => broker, null), name);

    [Fact]
    public void A_new_order_is_journaled_as_submitted_and_reaches_the_broker_with_stop_loss_and_take_profit()
    {
        var broker = CreateTestProbe();
        var orders = Region(broker.Ref);
        var id = ClientOrderId.Format("EMAX", "EURUSD", Bar, 1);

        orders.Tell(new CreateOrder(Init(id), PreTradeVerdict.Pass), TestActor);

        Assert.Equal(OrderStatus.Submitted, ExpectMsg<OrderCreated>(TimeSpan.FromSeconds(10)).Status);
        var sent = broker.ExpectMsg<SubmitToBroker>(TimeSpan.FromSeconds(10));
        Assert.Equal(id, sent.Request.ClientOrderId);
        Assert.Equal(1.07m, sent.Request.StopLoss);
        Assert.Equal(1.09m, sent.Request.TakeProfit);
    }

    [Fact]
    public void A_cancel_for_an_unknown_order_is_a_clear_error_and_journals_nothing()
    {
        var orders = Region(CreateTestProbe().Ref);
        var id = ClientOrderId.Format("EMAX", "EURUSD", Bar, 7);

        orders.Tell(new CancelOrder(id, Bar), TestActor);

        var result = ExpectMsg<CancelOrderResult>(TimeSpan.FromSeconds(10));
        Assert.False(result.Requested);
        Assert.Contains("unknown", result.Error);
        orders.Tell(new GetOrderState(id), TestActor);
        var state = ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10));
        Assert.Null(state.State);
        Assert.Equal(0, state.SequenceNr);
    }

    [Fact]
    public void A_fill_for_a_finished_order_is_refused_with_the_machine_error_and_changes_nothing()
    {
        var orders = Region(CreateTestProbe().Ref);
        var id = ClientOrderId.Format("EMAX", "EURUSD", Bar, 2);
        orders.Tell(new CreateOrder(Init(id), PreTradeVerdict.Pass), TestActor);
        ExpectMsg<OrderCreated>(TimeSpan.FromSeconds(10));
        orders.Tell(new ApplyBrokerReport(id, new OrderAccepted(id, "PB1", Bar.AddMinutes(6))), TestActor);
        ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10));
        orders.Tell(new ApplyBrokerReport(id, new OrderFilled(id, "F1", 10_000m, 1.0801m, 0m, Bar.AddMinutes(6))), TestActor);
        Assert.Equal(OrderDecisionOutcome.Accepted, ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10)).Outcome);
        orders.Tell(new GetOrderState(id), TestActor);
        var before = ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10)).State!;

        orders.Tell(new ApplyBrokerReport(id, new OrderFilled(id, "F2", 1_000m, 1.0802m, 0m, Bar.AddMinutes(7))), TestActor);
        var refused = ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10));
        orders.Tell(new ApplyBrokerReport(id, new OrderFilled(id, "F1", 10_000m, 1.0801m, 0m, Bar.AddMinutes(6))), TestActor);
        var duplicate = ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10));

        Assert.Equal(OrderDecisionOutcome.Rejected, refused.Outcome);
        Assert.Contains("FILLED", refused.Error);
        Assert.Equal(OrderDecisionOutcome.Duplicate, duplicate.Outcome);
        orders.Tell(new GetOrderState(id), TestActor);
        Assert.Equal(before, ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10)).State);
    }

    [Fact]
    public void A_finished_order_leaves_memory_after_the_configured_time_and_still_answers_from_its_journal_while_a_working_one_stays()
    {
        var entity = new OrderEntitySettings { PassivateFinishedAfter = TimeSpan.FromSeconds(2) };
        var orders = Sys.ActorOf(OrderRegion.Props(() => CreateTestProbe().Ref, () => ActorRefs.Nobody, entity, null), "orders");
        var filled = ClientOrderId.Format("EMAX", "EURUSD", Bar, 3);
        var working = ClientOrderId.Format("EMAX", "EURUSD", Bar, 4);
        foreach (var id in new[] { filled, working })
        {
            orders.Tell(new CreateOrder(Init(id), PreTradeVerdict.Pass), TestActor);
            ExpectMsg<OrderCreated>(TimeSpan.FromSeconds(10));
            orders.Tell(new ApplyBrokerReport(id, new OrderAccepted(id, "PB-" + id, Bar.AddMinutes(6))), TestActor);
            ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10));
        }
        orders.Tell(new ApplyBrokerReport(filled, new OrderFilled(filled, "F1", 10_000m, 1.0801m, 0m, Bar.AddMinutes(6))), TestActor);
        ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10));
        var (filledEntity, filledState) = Entity(orders, filled);
        var (workingEntity, _) = Entity(orders, working);
        Watch(filledEntity);

        Advance(TimeSpan.FromSeconds(2));

        ExpectTerminated(filledEntity, TimeSpan.FromSeconds(10));
        var (again, recovered) = Entity(orders, filled);
        Assert.NotEqual(filledEntity, again);
        Assert.Equal(filledState! with { FillIds = [] }, recovered! with { FillIds = [] });
        Assert.Equal(["F1"], recovered.FillIds);
        Assert.Equal(workingEntity, Entity(orders, working).Ref);
    }

    private (IActorRef Ref, OrderState? State) Entity(IActorRef orders, string id)
    {
        orders.Tell(new GetOrderState(id), TestActor);
        var state = ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10)).State;
        return (LastSender, state);
    }

    [Fact]
    public void An_order_crashed_by_chaos_recovers_its_state_from_the_journal_and_does_not_resend()
    {
        var broker = CreateTestProbe();
        var orders = Region(broker.Ref);
        var id = ClientOrderId.Format("EMAX", "EURUSD", Bar, 3);
        orders.Tell(new CreateOrder(Init(id), PreTradeVerdict.Pass), TestActor);
        ExpectMsg<OrderCreated>(TimeSpan.FromSeconds(10));
        broker.ExpectMsg<SubmitToBroker>(TimeSpan.FromSeconds(10));
        orders.Tell(new ApplyBrokerReport(id, new OrderAccepted(id, "PB9", Bar.AddMinutes(6))), TestActor);
        ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10));
        orders.Tell(new GetOrderState(id), TestActor);
        var before = ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10));

        Assert.True(Chaos.Crash(orders.Path + "/" + id));
        orders.Tell(new EnsureSubmitted(id), TestActor);
        var after = ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10));

        Assert.Equal(before.State, after.State);
        Assert.Equal(before.SequenceNr, after.SequenceNr);
        Assert.Equal(OrderStatus.Accepted, after.State!.Status);
        orders.Tell(new GetOrderState(id), TestActor);
        ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10));
        Assert.False(broker.HasMessages);
    }

    [Fact]
    public void An_order_whose_outcome_is_unknown_stays_in_flight_and_is_never_resubmitted()
    {
        var broker = CreateTestProbe();
        var orders = Region(broker.Ref);
        var id = ClientOrderId.Format("EMAX", "EURUSD", Bar, 4);
        orders.Tell(new CreateOrder(Init(id), PreTradeVerdict.Pass), TestActor);
        ExpectMsg<OrderCreated>(TimeSpan.FromSeconds(10));
        broker.ExpectMsg<SubmitToBroker>(TimeSpan.FromSeconds(10));

        orders.Tell(new MarkOutcomeUnknown(id, "broker request timed out", Bar.AddMinutes(6)), TestActor);
        ExpectMsg<OrderReportApplied>(TimeSpan.FromSeconds(10));
        Assert.True(Chaos.Crash(orders.Path + "/" + id));
        orders.Tell(new EnsureSubmitted(id), TestActor);
        var state = ExpectMsg<OrderStateReply>(TimeSpan.FromSeconds(10)).State!;

        Assert.Equal(OrderStatus.Submitted, state.Status);
        Assert.True(state.OutcomeUnknown);
        Assert.True(state.HoldsSymbol);
        // It asks the broker what became of it (once when the outcome became unknown, again after the restart);
        // it never sends itself again.
        Assert.Equal(id, broker.ExpectMsg<QueryBrokerOrder>(TimeSpan.FromSeconds(10)).ClientOrderId);
        Assert.Equal(id, broker.ExpectMsg<QueryBrokerOrder>(TimeSpan.FromSeconds(10)).ClientOrderId);
        Assert.False(broker.HasMessages);
    }
}
