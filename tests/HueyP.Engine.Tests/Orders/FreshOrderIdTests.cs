using HueyP.Actors;
using HueyP.Domain.Orders;
using HueyP.Engine.Broker;
using HueyP.Engine.Intents;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// An order whose id the intake has just minted starts without asking the journal (nothing can exist under a new
/// id); only its first incarnation may: after a crash it recovers everything it had journaled.
/// </summary>
public sealed class FreshOrderIdTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly PersistenceStore _store;

    public FreshOrderIdTests(ITestOutputHelper output) : base(output: output)
    {
        _store = JournalFactory.Create(OrderReplayTests.Journal(TestData.TempFile("fresh.db")), OrderSideSerialization.Create());
        PersistenceExtension.Install(Sys, _store);
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void A_new_order_that_skipped_recovery_still_recovers_its_journal_after_a_crash_and_is_not_resent()
    {
        var broker = CreateTestProbe();
        var fresh = new FreshOrderIds();
        var orders = Sys.ActorOf(OrderRegion.Props(() => broker.Ref, () => ActorRefs.Nobody, new OrderEntitySettings(), null, fresh), "orders");
        var intake = Sys.ActorOf(OrderIntakeActor.Props(new OrderIntakeSettings(), orders, fresh), "intake");
        intake.Tell(new SubmitOrderIntent(OrderActorTests.Intent(new DateTime(2025, 4, 1, 10, 35, 0, DateTimeKind.Utc), quantity: 0.1m), null!));
        intake.Tell(FlushIntents.Instance, TestActor);
        var id = ExpectMsg<IntentsFlushed>(Wait).Outcomes.Single().ClientOrderId!;
        broker.ExpectMsg<SubmitToBroker>(Wait);
        orders.Tell(new ApplyBrokerReport(id, new OrderAccepted(id, "PB00000001", new DateTime(2025, 4, 1, 10, 35, 1, DateTimeKind.Utc))), TestActor);
        ExpectMsg<OrderReportApplied>(Wait);
        orders.Tell(new GetOrderState(id), TestActor);
        var before = ExpectMsg<OrderStateReply>(Wait);

        Assert.False(fresh.TryClaim(id), "the entity claimed its fresh id when it started");
        Assert.True(Chaos.Crash(orders.Path + "/" + id));
        orders.Tell(new EnsureSubmitted(id), TestActor);
        var after = ExpectMsg<OrderStateReply>(Wait);

        Assert.Equal(3, before.SequenceNr);
        Assert.Equal(before.SequenceNr, after.SequenceNr);
        Assert.Equal(before.State, after.State);
        Assert.Equal(OrderStatus.Accepted, after.State!.Status);
        Assert.False(broker.HasMessages);
    }
}
