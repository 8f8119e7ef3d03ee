using HueyP.Actors;
using HueyP.Domain.Broker;
using HueyP.Domain.Orders;
using HueyP.Domain.Reconciliation;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Intents;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// A broker that does not answer (virtual time): the order's outcome becomes unknown, it stays in flight and is never
/// sent again; new orders for its symbol wait (kept, not lost) until asking the broker resolves it.
/// </summary>
public sealed class UnknownOutcomeTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);
    private static readonly DateTime Decision = new(2025, 4, 1, 10, 35, 0, DateTimeKind.Utc);
    private readonly PersistenceStore _store;
    private readonly Actors.TestKit.TestProbe _broker;
    private readonly IActorRef _orders;
    private readonly IActorRef _intake;

    public UnknownOutcomeTests(ITestOutputHelper output) : base(output: output)
    {
        _store = JournalFactory.Create(OrderReplayTests.Journal(TestData.TempFile("unknown.db")), OrderSideSerialization.Create());
        PersistenceExtension.Install(Sys, _store);
        _broker = CreateTestProbe();
        IActorRef intake = ActorRefs.Nobody;
        var entity = new OrderEntitySettings { BrokerAckTimeout = AckTimeout, ResolveRetryInterval = AckTimeout };
        _orders = Sys.ActorOf(OrderRegion.Props(() => _broker.Ref, () => intake, entity, null), "orders");
        _intake = intake = Sys.ActorOf(OrderIntakeActor.Props(new OrderIntakeSettings { BufferUntilFlush = false }, _orders), "intake");
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private void Submit(DateTime decision) => _intake.Tell(new SubmitOrderIntent(OrderActorTests.Intent(decision, quantity: 0.1m) with { BarTimeUtc = decision.AddMinutes(-5) }, null!));

    private IntakeStats Stats()
    {
        _intake.Tell(GetIntakeStats.Instance, TestActor);
        return ExpectMsg<IntakeStats>(Wait);
    }

    private OrderState State(string id)
    {
        _orders.Tell(new GetOrderState(id), TestActor);
        return ExpectMsg<OrderStateReply>(Wait).State!;
    }

    /// <summary>The broker never acknowledges: after the timeout the order asks the broker instead of resending.</summary>
    private (string Id, IActorRef Entity) SubmitAndTimeOut()
    {
        Submit(Decision);
        var id = _broker.ExpectMsg<SubmitToBroker>(Wait).Request.ClientOrderId;
        // Its reply comes after the handler that sent the request (and armed the acknowledgement timer) has finished.
        Assert.Equal(OrderStatus.Submitted, State(id).Status);
        Advance(AckTimeout);
        var query = _broker.ExpectMsg<QueryBrokerOrder>(Wait);
        Assert.Equal(id, query.ClientOrderId);
        return (id, _broker.LastSender);
    }

    private static BrokerStateReport Answer(params BrokerOrderView[] orders) =>
        new(new HueyP.Domain.Reconciliation.BrokerSnapshot(Decision.AddMinutes(1), orders, [], []), []);

    [Fact]
    public void An_unacknowledged_order_is_held_in_flight_new_orders_for_its_symbol_wait_and_go_once_the_broker_confirms_it()
    {
        var (id, entity) = SubmitAndTimeOut();
        var unknown = State(id);
        Assert.Equal(OrderStatus.Submitted, unknown.Status);
        Assert.True(unknown.OutcomeUnknown);

        // A new intent for the same symbol is kept, not turned into an order, while the first is unresolved.
        Submit(Decision.AddMinutes(5));
        var held = Stats();
        Assert.Equal(1, held.Held);
        Assert.Equal(1, held.Orders);
        Assert.Equal([id], held.HeldSymbols["EURUSD"]);

        // The intake crashes meanwhile: the hold and the waiting intent are in its journal, nothing is lost.
        Assert.True(Chaos.Crash(_intake));
        var recovered = Stats();
        Assert.Equal(1, recovered.Held);
        Assert.Equal([id], recovered.HeldSymbols["EURUSD"]);

        // The broker stays silent: the order asks again, and never sends itself a second time.
        Advance(AckTimeout);
        Assert.Equal(id, _broker.ExpectMsg<QueryBrokerOrder>(Wait).ClientOrderId);

        entity.Tell(Answer(new BrokerOrderView(id, "PB00000007", "EURUSD", Side.Buy, 10_000m, 0m, BrokerOrderStatus.Working, null)), _broker.Ref);
        var next = _broker.ExpectMsg<SubmitToBroker>(Wait);

        Assert.NotEqual(id, next.Request.ClientOrderId);
        var resolved = State(id);
        Assert.Equal(OrderStatus.Accepted, resolved.Status);
        Assert.Equal("PB00000007", resolved.BrokerOrderId);
        Assert.False(resolved.OutcomeUnknown);
        var after = Stats();
        Assert.Equal(0, after.Held);
        Assert.Equal(2, after.Orders);
        Assert.Empty(after.HeldSymbols);
    }

    [Fact]
    public void An_order_the_broker_never_received_is_resolved_as_canceled_not_resent_and_releases_its_symbol()
    {
        var (id, entity) = SubmitAndTimeOut();
        Submit(Decision.AddMinutes(5));
        Assert.Equal(1, Stats().Held);

        // The order survives a crash while unresolved: it holds its symbol again and asks the broker once more.
        Assert.True(Chaos.Crash(entity));
        _orders.Tell(new GetOrderState(id), TestActor);
        Assert.True(ExpectMsg<OrderStateReply>(Wait).State!.OutcomeUnknown);
        var again = _broker.ExpectMsg<QueryBrokerOrder>(Wait);
        Assert.Equal(id, again.ClientOrderId);

        _broker.LastSender.Tell(Answer(), _broker.Ref);
        var next = _broker.ExpectMsg<SubmitToBroker>(Wait);

        Assert.NotEqual(id, next.Request.ClientOrderId);
        var resolved = State(id);
        Assert.Equal(OrderStatus.Canceled, resolved.Status);
        Assert.Contains("unknown to broker", resolved.LastReason);
        Assert.Equal(0, Stats().Held);
    }
}
