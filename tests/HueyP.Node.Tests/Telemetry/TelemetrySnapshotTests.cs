using System.Text.Json;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using HueyP.Node.Telemetry;
using static HueyP.Node.Tests.Telemetry.TelemetryFixtures;

namespace HueyP.Node.Tests.Telemetry;

public sealed class TelemetrySnapshotTests : IDisposable
{
    private readonly string _folder = TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(100.0, "green")]
    [InlineData(85.0, "green")]
    [InlineData(84.9, "amber")]
    [InlineData(70.0, "amber")]
    [InlineData(69.9, "red")]
    [InlineData(0.0, "red")]
    [InlineData(null, "na")]
    public void Gate_cards_are_green_from_85_amber_from_70_red_below(double? score, string band) =>
        Assert.Equal(band, GateCard.BandOf(score));

    [Fact]
    public void The_bridge_routers_view_fills_router_health_with_the_route_each_transport_and_the_outbox()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        RouterStatus Status(long pipeReceived) => new(TransportKind.Pipe,
        [
            new HueyP.Bridge.Transports.Router.TransportHealth(TransportKind.Socket, false, null, 10, 10, 0, "connection reset") { Failures = 2 },
            new HueyP.Bridge.Transports.Router.TransportHealth(TransportKind.Pipe, true, TimeSpan.FromMilliseconds(4), 90, pipeReceived, 10, null),
        ], 3) { OldestPendingAt = T0 };

        state.OnBridge(Status(100), T0.AddSeconds(1));
        state.OnBridge(Status(300), T0.AddSeconds(5));
        var router = TelemetryFileBuilder.Router(state, T0.AddSeconds(5));

        Assert.Equal("pipe", router.ActiveTransport);
        Assert.True(router.OnFallback);
        Assert.Equal(3, router.Outbox!.Depth);
        Assert.Equal(5, router.Outbox.OldestAgeS!.Value, 6);
        var pipe = router.Transports.Single(t => t.Name == "pipe");
        Assert.True(pipe.Active);
        Assert.Equal(4, pipe.LatencyMs!.Value, 6);
        Assert.Equal(10.0 / 400, pipe.DropRate!.Value, 9);
        Assert.Equal(50, pipe.ReceivedPerS!.Value, 6);
        var socket = router.Transports.Single(t => t.Name == "socket");
        Assert.Equal("down", socket.Status);
        Assert.Equal(2, socket.Failures);
        Assert.Equal("connection reset", socket.LastError);
        Assert.True(state.ScoresAt(T0.AddSeconds(5)).Comm <= 60, "traffic on a fallback never scores as a healthy link");
    }

    [Fact]
    public void A_cluster_role_change_is_an_incident_and_the_snapshot_carries_role_and_epoch()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        HueyP.Cluster.Member.ClusterStatus Status(string role, long epoch) =>
            new("node-a", role, epoch, 5000, null, null, [], new HueyP.Cluster.Standby.TailProgress(0, 0, 0, null), 0, 0, null);

        state.OnCluster(Status("standby", 3), T0);
        state.OnCluster(Status("standby", 3), T0.AddSeconds(1));
        state.OnCluster(Status("active", 4), T0.AddSeconds(2));
        var snapshot = TelemetrySnapshotBuilder.Build(state, T0.AddSeconds(2), settings, 1);

        var incident = Assert.Single(snapshot.Timeline, e => e.Kind == "cluster_role");
        Assert.Equal("cluster role standby → active (epoch 4)", incident.Summary);
        Assert.Equal("active", snapshot.Cluster!.Role);
        Assert.Equal(4, snapshot.Cluster.Epoch);
    }

    [Fact]
    public void The_dashboard_snapshot_serializes_with_snake_case_and_no_invalid_numbers()
    {
        var settings = Settings(_folder);
        var state = new TelemetryState(settings, TelemetryText.None, T0);
        state.OnLedger(LedgerThreePercentDown(), T0);
        state.OnModeStatus(StatusOf(HueyP.Domain.Modes.Mode.Normal));
        state.OnEngineHealth(new HueyP.Domain.Modes.HealthReported(T0, double.NaN, 90, 80));

        var json = JsonSerializer.Serialize(TelemetrySnapshotBuilder.Build(state, T0.AddSeconds(1), settings, 7), HueyP.Node.Admin.AdminWire.Options);
        var root = JsonDocument.Parse(json).RootElement;

        Assert.Equal(7, root.GetProperty("version").GetInt64());
        Assert.Equal("NORMAL", root.GetProperty("mode").GetProperty("mode").GetString());
        Assert.Equal(0.03, root.GetProperty("risk").GetProperty("dd_frac").GetDouble(), 10);
        var comm = root.GetProperty("scores").GetProperty("cards").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Broker connectivity");
        Assert.Equal(JsonValueKind.Null, comm.GetProperty("score").ValueKind);
        Assert.Equal("na", comm.GetProperty("band").GetString());
        Assert.DoesNotContain("NaN", json);
    }
}
