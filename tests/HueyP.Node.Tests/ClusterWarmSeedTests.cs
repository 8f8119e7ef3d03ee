using HueyP.Domain.Ledger;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Node.Cluster;
using HueyP.Persistence.Query;

namespace HueyP.Node.Tests;

/// <summary>The warm projection's recovery seeds: what a takeover hands to the ledger's and the intake's recovery.</summary>
public sealed class ClusterWarmSeedTests
{
    private long _offset;

    private EventEnvelope Envelope(string persistenceId, long sequenceNr, object @event) =>
        new(++_offset, persistenceId, sequenceNr, @event, DateTime.UnixEpoch, [], @event.GetType().Name);

    private static CashAdjusted Cash(string id, decimal amount) => new(id, amount, "test", DateTime.UnixEpoch);

    [Fact]
    public void The_projection_seeds_the_ledger_and_the_intake_at_the_last_event_it_read_of_each()
    {
        var projection = new WarmProjection(new LedgerSettings());
        projection.Apply(Envelope(LedgerActor.Id, 1, Cash(LedgerSettings.OpeningDepositId, 100_000m)));
        projection.Apply(Envelope(OrderIntakeActor.Id, 1, new KillSwitchChanged(true, false, "drill", "ops", DateTime.UnixEpoch)));
        projection.Apply(Envelope(LedgerActor.Id, 2, Cash("deposit-2", 50m)));

        var seeds = projection.Seeds().ToDictionary(s => s.PersistenceId);

        Assert.Equal(2, seeds[LedgerActor.Id].SequenceNr);
        Assert.Equal(100_050m, ((LedgerSnapshot)seeds[LedgerActor.Id].Snapshot).ToState().Cash);
        Assert.Equal(1, seeds[OrderIntakeActor.Id].SequenceNr);
        Assert.True(((IntakeSnapshot)seeds[OrderIntakeActor.Id].Snapshot).ToState().KillSwitch.Active);

        // The projection keeps folding; a seed already handed over stays what it was.
        projection.Apply(Envelope(OrderIntakeActor.Id, 2, new KillSwitchChanged(false, false, "drill over", "ops", DateTime.UnixEpoch)));
        Assert.True(((IntakeSnapshot)seeds[OrderIntakeActor.Id].Snapshot).ToState().KillSwitch.Active);
        Assert.Equal(2, projection.Seeds().Single(s => s.PersistenceId == OrderIntakeActor.Id).SequenceNr);
    }

    [Fact]
    public void A_stream_the_projection_missed_an_event_of_is_not_seeded_and_cluster_show_says_why()
    {
        var projection = new WarmProjection(new LedgerSettings());
        projection.Apply(Envelope(LedgerActor.Id, 1, Cash(LedgerSettings.OpeningDepositId, 100_000m)));
        projection.Apply(Envelope(OrderIntakeActor.Id, 1, new KillSwitchChanged(true, false, "drill", "ops", DateTime.UnixEpoch)));
        projection.Apply(Envelope(LedgerActor.Id, 3, Cash("deposit-3", 50m)));

        var seed = Assert.Single(projection.Seeds());
        Assert.Equal(OrderIntakeActor.Id, seed.PersistenceId);
        var view = projection.View();
        Assert.Equal(3, view.LedgerSequenceNr);
        Assert.Contains("#2..#2 of ledger", view.LedgerUnseedable);
        Assert.Null(view.IntakeUnseedable);
    }

    [Fact]
    public void The_order_book_is_offered_at_the_last_offset_read_unless_an_order_stream_was_read_with_a_hole()
    {
        var projection = new WarmProjection(new LedgerSettings());
        var first = Order("EMAX-EURUSD-20250401T1030-0001");
        var second = Order("EMAX-EURUSD-20250401T1030-0002");
        projection.Apply(Envelope("order-" + first.ClientOrderId, 1, first));
        projection.Apply(Envelope("order-" + second.ClientOrderId, 1, second));

        var seed = projection.BookSeed();
        Assert.NotNull(seed);
        Assert.Equal(OrderBookView.SeedName, seed.Name);
        Assert.Equal(2, seed.Offset);
        Assert.Equal([first.ClientOrderId, second.ClientOrderId], ((Domain.Orders.OrderBook)seed.State).Orders.Keys);

        // The tail skipped event #2 of the first order's stream: the book it folded is not one the entities ever had.
        projection.Apply(Envelope("order-" + first.ClientOrderId, 3, new Domain.Orders.OrderSubmitted(first.ClientOrderId, DateTime.UnixEpoch)));
        Assert.Equal(0, projection.View().Failed);

        Assert.Null(projection.BookSeed());
    }

    private static Domain.Orders.OrderInitialized Order(string id) =>
        (Domain.Orders.OrderInitialized)Domain.Orders.OrderMachine.Initialize(
            new Domain.Trading.OrderIntent("EMAX", "EURUSD", Domain.Trading.Side.Buy, 10_000m, Domain.Trading.OrderType.Market,
                new DateTime(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc), new DateTime(2025, 4, 1, 10, 35, 0, DateTimeKind.Utc), 1.08, null, 1.07, 1.09, 1, "test"),
            id, new DateTime(2025, 4, 1, 10, 35, 0, DateTimeKind.Utc)).Events[0];
}
