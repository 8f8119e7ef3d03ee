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
}
