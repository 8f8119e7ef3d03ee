using HueyP.Actors;
using HueyP.Bridge.Transports.Standby;
using HueyP.Cluster.Lease;
using HueyP.Cluster.Member;
using HueyP.Cluster.Standby;
using HueyP.Node.Bridge;
using HueyP.Node.Configuration;

namespace HueyP.Node.Tests.Bridge;

/// <summary>hueyp.bridge.peers in a node's configuration: accepted, and what a standby's STATUS names as the active node's address.</summary>
public sealed class BridgePeersConfigurationTests : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-peers-config-").FullName;
    private readonly ActorSystem _system = ActorSystem.Create("bridge-peers");

    /// <summary>A standby's member: node-b holds the lease.</summary>
    private sealed class StandbyMember : ReceiveActor
    {
        public StandbyMember() => Receive<GetClusterStatus>(_ =>
        {
            var now = DateTimeOffset.UtcNow;
            Sender.Tell(new ClusterStatus("node-a", "standby", 3, 0, null, new LeaseView("trading", "node-b", 3, now.AddSeconds(2), now, now.AddSeconds(-5)),
                [], new TailProgress(0, 0, 0, null), 0, 0, null));
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _system.Terminate();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_configuration_naming_the_peers_loads_and_a_standby_names_the_active_nodes_address_from_it()
    {
        var reference = Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");
        var file = Path.Combine(_folder, "node-a.conf");
        File.WriteAllText(file, $$"""
            include "{{reference}}"
            hueyp.node.run-dir = "{{_folder}}/run"
            hueyp.bridge.peers {
              node-a = "127.0.0.1:5555"
              node-b = "127.0.0.1:5556"
            }
            """);

        var loaded = NodeConfiguration.Load(file);

        Assert.Empty(loaded.Errors);
        var peers = loaded.Modules.OfType<BridgeModule>().Single().Settings.Peers;
        Assert.Equal("127.0.0.1:5556", peers["node-b"]);

        _system.ActorOf(Props.Create(() => new StandbyMember()), "cluster");
        var role = new BridgeRoleSource(new BridgeRole(false));
        _system.ActorOf(BridgeRoleFeedActor.Props(role, peers, "/user/cluster", TimeSpan.FromMilliseconds(20)), BridgeRoleFeedActor.ActorName);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (role.Current.ActiveEndpoint is null && DateTime.UtcNow < deadline) await Task.Delay(10);

        var status = BridgeRoleSource.StandbyStatus(role.Current);
        Assert.Equal("node-b", status.ActiveNode);
        Assert.Equal("127.0.0.1:5556", status.ActiveEndpoint);
        Assert.Contains("connect to the active node node-b at 127.0.0.1:5556", status.Detail);
    }

    [Fact]
    public void A_peer_that_is_not_host_and_port_is_reported_with_its_key()
    {
        var reference = Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf");
        var file = Path.Combine(_folder, "bad-peer.conf");
        File.WriteAllText(file, $"include \"{reference}\"\nhueyp.node.run-dir = \"{_folder}/run\"\nhueyp.bridge.peers.node-b = \"not an address\"\n");

        var loaded = NodeConfiguration.Load(file);

        var error = Assert.Single(loaded.Errors);
        Assert.Contains("hueyp.bridge.peers.node-b", error);
        Assert.Contains("host:port", error);
    }
}
