using HueyP.Actors;
using HueyP.Cluster.Lease;

namespace HueyP.Cluster.Tests.Lease;

/// <summary>The lease actor on virtual time against a scripted store: what its parent is told, and when.</summary>
public sealed class LeaseActorSpec : HueyP.Actors.TestKit.TestKit
{
    private static readonly ClusterSettings Settings = TestClusterSettings.NodeA;

    private readonly ScriptedLeaseStore _store = new();

    private IActorRef StartLease() => Sys.ActorOf(Props.Create(() => new Parent(_store, Settings, TestActor)), "cluster");

    [Fact]
    public void The_parent_hears_of_the_epoch_won_and_the_lease_is_renewed_every_renew_interval()
    {
        _store.NextAcquire = () => new Acquired(5, DateTimeOffset.UnixEpoch);
        StartLease();

        ExpectMsg<LeaseAcquired>(a => a.Epoch == 5);
        Advance(TimeSpan.FromMilliseconds(500));
        AwaitCondition(() => _store.Renewals.Count >= 1);
        Advance(TimeSpan.FromMilliseconds(500));
        AwaitCondition(() => _store.Renewals.Count >= 2);
        Assert.All(_store.Renewals, epoch => Assert.Equal(5, epoch));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_refused_renewal_is_a_lost_lease_and_the_node_competes_again_only_after_the_engine_stopped()
    {
        _store.NextAcquire = () => new Acquired(5, DateTimeOffset.UnixEpoch);
        var cluster = StartLease();
        ExpectMsg<LeaseAcquired>();
        _store.NextRenew = () => new RenewRefused("the lease was taken over: epoch 6 is held by node-b");

        Advance(TimeSpan.FromMilliseconds(500));

        var lost = ExpectMsg<LeaseLost>();
        Assert.Equal(5, lost.Epoch);
        Assert.Contains("node-b", lost.Reason);
        var attempts = _store.Acquisitions;
        Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(attempts, _store.Acquisitions);

        _store.NextAcquire = () => new Acquired(7, DateTimeOffset.UnixEpoch);
        cluster.Tell(new ToLease(new EngineStopped(5)));
        ExpectMsg<LeaseAcquired>(a => a.Epoch == 7);
    }

    [Fact]
    public void Renewals_that_never_answer_cost_the_lease_after_the_ttl_by_the_nodes_own_clock()
    {
        _store.NextAcquire = () => new Acquired(5, DateTimeOffset.UnixEpoch);
        StartLease();
        ExpectMsg<LeaseAcquired>();
        _store.RenewHangs = true;

        Advance(TimeSpan.FromMilliseconds(1_900));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        Advance(TimeSpan.FromMilliseconds(100));

        Assert.Contains("lease-ttl", ExpectMsg<LeaseLost>().Reason);
    }

    [Fact]
    public void Step_down_drains_first_then_releases_and_holds_back_before_competing_again()
    {
        _store.NextAcquire = () => new Acquired(5, DateTimeOffset.UnixEpoch);
        var cluster = StartLease();
        ExpectMsg<LeaseAcquired>();

        cluster.Tell(new ToLease(StepDown.Instance));
        ExpectMsg<LeaseReleasing>(r => r.Epoch == 5);
        Assert.Empty(_store.Releases);

        cluster.Tell(new ToLease(new EngineStopped(5)));
        AwaitCondition(() => _store.Releases.Contains(5));
        var attempts = _store.Acquisitions;
        Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(attempts, _store.Acquisitions);
        Advance(TimeSpan.FromMilliseconds(4_600));
        Assert.Equal(attempts, _store.Acquisitions);
        Advance(TimeSpan.FromMilliseconds(400));
        AwaitCondition(() => _store.Acquisitions > attempts);
    }

    private sealed record ToLease(object Message);

    /// <summary>Stands in for /user/cluster: owns the lease and forwards what it is told to the test.</summary>
    private sealed class Parent : ReceiveActor
    {
        public Parent(ILeaseStore store, ClusterSettings settings, IActorRef test)
        {
            var lease = Context.ActorOf(LeaseActor.Props(store, settings), LeaseActor.ActorName);
            Receive<ToLease>(m => lease.Tell(m.Message));
            ReceiveAny(m => test.Tell(m));
        }
    }
}
