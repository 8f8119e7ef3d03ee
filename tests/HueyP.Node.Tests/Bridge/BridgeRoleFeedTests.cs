using HueyP.Actors;
using HueyP.Bridge.Transports.Standby;
using HueyP.Cluster.Lease;
using HueyP.Cluster.Member;
using HueyP.Cluster.Standby;
using HueyP.Node.Bridge;

namespace HueyP.Node.Tests.Bridge;

/// <summary>The bridge's role follows the cluster member's status; a fake member stands in for /user/cluster (no PostgreSQL, no lease).</summary>
public sealed class BridgeRoleFeedTests : IAsyncDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("bridge-role");

    /// <summary>Answers GetClusterStatus with whatever role and lease holder the test last set.</summary>
    private sealed class FakeMember : ReceiveActor
    {
        public static volatile string Role = "standby";
        public static volatile string? Holder = "node-b";

        public FakeMember() => Receive<GetClusterStatus>(_ =>
        {
            var now = DateTimeOffset.UtcNow;
            var lease = Holder is { } holder ? new LeaseView("trading", holder, 7, now.AddSeconds(2), now, now.AddSeconds(-5)) : null;
            Sender.Tell(new ClusterStatus("node-a", Role, 7, 2000, null, lease, [], new TailProgress(0, 0, 0, null), 0, 0, null));
        });
    }

    public async ValueTask DisposeAsync() => await _system.Terminate();

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 10 s: {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_standby_names_the_lease_holder_and_its_bridge_address_and_becomes_active_when_its_member_is()
    {
        FakeMember.Role = "standby";
        FakeMember.Holder = "node-b";
        _system.ActorOf(Props.Create(() => new FakeMember()), "cluster");
        var role = new BridgeRoleSource(new BridgeRole(false));
        var peers = new Dictionary<string, string> { ["node-a"] = "127.0.0.1:5555", ["node-b"] = "127.0.0.1:5556" };
        _system.ActorOf(BridgeRoleFeedActor.Props(role, peers, "/user/cluster", TimeSpan.FromMilliseconds(20)), BridgeRoleFeedActor.ActorName);

        await Until(() => role.Current.ActiveNode == "node-b", "standby names the holder");
        Assert.Equal(new BridgeRole(false, "node-b", "127.0.0.1:5556"), role.Current);

        FakeMember.Role = "active";
        FakeMember.Holder = "node-a";
        await Until(() => role.Current.Active, "active once the member is");

        FakeMember.Role = "stopping"; // lost the lease: draining, no longer trading, nobody holds it yet
        FakeMember.Holder = null;
        await Until(() => !role.Current.Active, "standby again");
        Assert.Equal(new BridgeRole(false), role.Current);
    }

    [Fact]
    public async Task The_members_role_change_switches_the_bridge_at_once_without_waiting_for_a_poll()
    {
        FakeMember.Role = "standby";
        FakeMember.Holder = "node-b";
        _system.ActorOf(Props.Create(() => new FakeMember()), "cluster");
        var role = new BridgeRoleSource(new BridgeRole(false));
        var peers = new Dictionary<string, string> { ["node-a"] = "127.0.0.1:5555", ["node-b"] = "127.0.0.1:5556" };
        // A poll an hour apart: only the start-up poll and the events can move the role.
        _system.ActorOf(BridgeRoleFeedActor.Props(role, peers, "/user/cluster", TimeSpan.FromHours(1)), BridgeRoleFeedActor.ActorName);
        await Until(() => role.Current.ActiveNode == "node-b", "standby names the holder (start-up poll)");

        FakeMember.Role = "active";
        FakeMember.Holder = "node-a";
        _system.EventStream.Publish(new ClusterRoleChanged("node-a", "active", "starting", 8));
        await Until(() => role.Current.Active, "trading on the event");

        FakeMember.Role = "standby";
        FakeMember.Holder = "node-b";
        _system.EventStream.Publish(new ClusterRoleChanged("node-a", "stopping", "active", 8));
        await Until(() => role.Current.ActiveNode == "node-b", "standby on the event, naming the new holder after one poll");
        Assert.Equal(new BridgeRole(false, "node-b", "127.0.0.1:5556"), role.Current);
    }
}
