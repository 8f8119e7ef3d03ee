using HueyP.Actors;
using HueyP.Cluster.Fencing;
using HueyP.Cluster.Lease;
using HueyP.Cluster.Member;
using HueyP.Cluster.Tests.Lease;

namespace HueyP.Cluster.Tests.Member;

/// <summary>/user/cluster on virtual time against a scripted lease store: what it tells the rest of the node.</summary>
public sealed class ClusterMemberActorSpec : HueyP.Actors.TestKit.TestKit
{
    private static readonly ClusterSettings Settings = TestClusterSettings.NodeA;

    [Fact]
    public void Every_role_change_is_published_on_the_event_stream_so_the_bridge_need_not_poll()
    {
        var store = new ScriptedLeaseStore { NextAcquire = () => new Acquired(5, DateTimeOffset.UnixEpoch) };
        Sys.EventStream.Subscribe(TestActor, typeof(ClusterRoleChanged));
        var fence = new LeaseFence(Settings);

        Sys.ActorOf(ClusterMemberActor.Props(store, Settings, fence, new InstantTerm(), tail: null, terms: null), ClusterMemberActor.ActorName);

        Assert.Equal(new ClusterRoleChanged("node-a", "starting", "standby", 5), ExpectMsg<ClusterRoleChanged>());
        var active = ExpectMsg<ClusterRoleChanged>();
        Assert.Equal(new ClusterRoleChanged("node-a", "active", "starting", 5), active);
        Assert.True(active.Trading);
        Assert.Equal(5, fence.CurrentEpoch);

        // The other node took the lease: the member stops trading and says so before the engine has stopped.
        store.NextRenew = () => new RenewRefused("the lease was taken over: epoch 6 is held by node-b");
        store.NextAcquire = () => new HeldByOther(new LeaseView("hueyp", "node-b", 6, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, null), false);
        Advance(TimeSpan.FromMilliseconds(500));

        var stopping = ExpectMsg<ClusterRoleChanged>();
        Assert.Equal(new ClusterRoleChanged("node-a", "stopping", "active", 5), stopping);
        Assert.False(stopping.Trading);
        Assert.Equal(new ClusterRoleChanged("node-a", "standby", "stopping", 5), ExpectMsg<ClusterRoleChanged>());
        Assert.False(fence.IsOpen);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private sealed class InstantTerm : ITradingTerm
    {
        public Task BeginAsync(long epoch, CancellationToken ct) => Task.CompletedTask;

        public Task EndAsync(string reason, CancellationToken ct) => Task.CompletedTask;
    }
}
