using System.Net;
using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Socket;
using HueyP.Bridge.Transports.Standby;
using HueyP.Domain.Market;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Simulator;

/// <summary>
/// Two bridges in one process play the two nodes of a cluster pair, each with a role the test sets (no cluster runs):
/// the standby answers trading traffic with STATUS STANDBY naming the active node, and the EA follows the active one.
/// </summary>
public sealed class StandbyFollowTests : TestKit
{
    private readonly TestProbe _events;
    private readonly ITestOutputHelper _output;

    public StandbyFollowTests(ITestOutputHelper output) : base(output: output, virtualTime: false)
    {
        _output = output;
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(TransportListening));
    }

    private sealed record Node(string Name, IActorRef Router, IPEndPoint Socket, TestProbe Inbound, BridgeRoleSource Role);

    private Node StartNode(string name, bool active)
    {
        var role = new BridgeRoleSource(active ? BridgeRole.Trading : new BridgeRole(false));
        var inbound = CreateTestProbe($"{name}-inbound");
        var options = new BridgeOptions { Socket = new SocketTransportSettings { Port = 0 }, HmacKey = Samples.Key, Role = role };
        var router = Sys.ActorOf(BridgeSetup.RouterProps(options, inbound.Ref), $"bridge-{name}");
        var endpoint = _events.FishForMessage<TransportListening>(l => l.Kind == TransportKind.Socket).Endpoint;
        return new Node(name, router, IPEndPoint.Parse(endpoint), inbound, role);
    }

    private static void MakeActive(Node active, Node standby)
    {
        active.Role.Set(BridgeRole.Trading);
        standby.Role.Set(new BridgeRole(false, active.Name, active.Socket.ToString()));
    }

    private static IEnumerable<Quote> Quotes() =>
        Enumerable.Range(0, 1_000_000).Select(i => new Quote("EURUSD", new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc).AddMilliseconds(100 * i), 1.08, 1.0802));

    private static int Ticks(TestProbe inbound, TimeSpan within)
    {
        var count = 0;
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var message = inbound.ReceiveOne(TimeSpan.FromMilliseconds(50));
            if (message is InboundMessage { Message.Type: MessageType.Tick }) count++;
        }
        return count;
    }

    [Fact]
    public async Task The_standby_names_the_active_node_instead_of_taking_ticks_and_the_ea_follows_the_active_one_both_ways()
    {
        var a = StartNode("node-a", active: false);
        var b = StartNode("node-b", active: true);
        MakeActive(b, a);
        // The EA knows both nodes and starts with the standby: it is told where to trade and goes there.
        await using var ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = a.Socket, OtherSockets = [b.Socket], HmacKey = Samples.Key, Quotes = Quotes(), TickInterval = TimeSpan.FromMilliseconds(5),
        });
        ea.Start();

        AwaitCondition(() => Equals(ea.CurrentSocket, b.Socket) && ea.CurrentTransport == "socket", TimeSpan.FromSeconds(10));
        Assert.True(Ticks(b.Inbound, TimeSpan.FromMilliseconds(300)) > 0);
        Assert.Equal(0, Ticks(a.Inbound, TimeSpan.FromMilliseconds(100)));
        Assert.True(ea.StandbyRedirects >= 1);

        // Takeover: b loses the lease, a wins it. b's next refused tick sends the EA back to a.
        MakeActive(a, b);
        AwaitCondition(() => Equals(ea.CurrentSocket, a.Socket) && ea.CurrentTransport == "socket", TimeSpan.FromSeconds(10));
        Ticks(b.Inbound, TimeSpan.FromMilliseconds(200)); // what b took while it was still active
        Assert.True(Ticks(a.Inbound, TimeSpan.FromMilliseconds(300)) > 0);
        Assert.Equal(0, Ticks(b.Inbound, TimeSpan.FromMilliseconds(100)));
        _output.WriteLine(string.Join("\n", ea.Notes));
        Assert.Contains(ea.Notes, n => n.Contains("standby") && n.Contains(a.Socket.ToString()));
    }

    [Fact]
    public async Task An_ea_that_loses_its_node_tries_the_other_one()
    {
        var a = StartNode("node-a", active: true);
        var b = StartNode("node-b", active: true);
        await using var ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = a.Socket, OtherSockets = [b.Socket], HmacKey = Samples.Key, Quotes = Quotes(), TickInterval = TimeSpan.FromMilliseconds(5),
        });
        ea.Start();
        AwaitCondition(() => ea.CurrentTransport == "socket", TimeSpan.FromSeconds(10));
        Assert.Equal(a.Socket, ea.CurrentSocket);

        Sys.Stop(a.Router); // node a is gone: its sessions and listener close

        AwaitCondition(() => Equals(ea.CurrentSocket, b.Socket) && ea.CurrentTransport == "socket", TimeSpan.FromSeconds(10));
        Assert.True(Ticks(b.Inbound, TimeSpan.FromMilliseconds(300)) > 0);
    }
}
