using System.Text.Json;
using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Modes;
using HueyP.Node.Telemetry;
using static HueyP.Node.Tests.Telemetry.TelemetryFixtures;

namespace HueyP.Node.Tests.Telemetry;

/// <summary>
/// The telemetry actor on its own actor system. Its timers are set an hour apart, so nothing happens on its own:
/// every step is a message (an EventStream event, a status reply, a flush), which makes the test deterministic.
/// </summary>
public sealed class TelemetryActorTests : IAsyncLifetime
{
    private readonly string _folder = TempFolder();
    private ActorSystem _system = null!;
    private TelemetrySettings _settings = null!;
    private TelemetryHub _hub = null!;
    private IActorRef _actor = null!;
    private TelemetryWriteLoop _loop = null!;

    public async Task InitializeAsync()
    {
        _system = ActorSystem.Create("telemetry-test");
        _settings = Settings(_folder);
        _hub = new TelemetryHub(TelemetrySnapshot.Empty(T0, _settings));
        var writer = new TelemetryWriter(_settings);
        // The test owns the write loop, as the module does, so the last write is done before the folder is deleted.
        _loop = new TelemetryWriteLoop(writer);
        _actor = _system.ActorOf(TelemetryActor.Props(_settings, TelemetrySources.None, writer, _hub, null, TelemetryText.None, _loop), "telemetry");
        // Answered after PreStart: the actor is subscribed from here on.
        await Flush();
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        await _loop.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<TelemetryFlushed> Flush() => _actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_mode_change_on_the_event_stream_reaches_the_dashboard_snapshot_and_events_jsonl_with_its_cause()
    {
        _actor.Tell(StatusOf(Mode.Normal), ActorRefs.NoSender);
        _system.EventStream.Publish(new ModeChanged(T0, Mode.Normal, Mode.DegradedComm, ["socket transport used up its restart budget"]));
        await Flush();

        var snapshot = _hub.Latest;
        Assert.Equal("DEGRADED_COMM", snapshot.Mode!.Mode);
        var incident = Assert.Single(snapshot.Timeline, e => e.Kind == "mode_changed");
        Assert.Equal(["socket transport used up its restart budget"], incident.Why);
        var line = JsonDocument.Parse(File.ReadAllLines(Path.Combine(_settings.LogsDir, TelemetryWriter.EventsLogName)).Single()).RootElement;
        Assert.Equal("mode_changed", line.GetProperty("kind").GetString());
        Assert.Equal("DEGRADED_COMM", line.GetProperty("to").GetString());
    }

    [Fact]
    public async Task Breaker_and_route_events_show_in_execution_and_router_health()
    {
        _system.EventStream.Publish(new BreakerStateChanged(Dependencies.BrokerSubmit, BreakerStatus.Closed, BreakerStatus.Open, BreakerLevel.Short, T0.AddSeconds(60), "3 failures in 60 s", T0, null));
        _system.EventStream.Publish(new TransportRouteChanged("socket", "pipe", "socket listener down"));
        await Flush();

        var execution = JsonDocument.Parse(File.ReadAllText(Path.Combine(_settings.StateDir, TelemetryWriter.ExecutionFileName))).RootElement;
        var breaker = execution.GetProperty("breakers").EnumerateArray().Single();
        Assert.Equal("broker_submit", breaker.GetProperty("dependency").GetString());
        Assert.Equal("open", breaker.GetProperty("status").GetString());
        var router = JsonDocument.Parse(File.ReadAllText(Path.Combine(_settings.StateDir, TelemetryWriter.RouterFileName))).RootElement;
        Assert.Equal("pipe", router.GetProperty("active_transport").GetString());
        Assert.True(router.GetProperty("on_fallback").GetBoolean());
        Assert.Contains(router.GetProperty("transports").EnumerateArray(), t => t.GetProperty("name").GetString() == "pipe" && t.GetProperty("active").GetBoolean());
        var exec = _hub.Latest.Scores.Cards.Single(c => c.Name == "System health");
        Assert.Equal("red", exec.Band);
        Assert.Contains(exec.Failing, f => f.Contains("broker_submit"));
    }

    [Fact]
    public async Task Sources_that_never_answer_leave_null_figures_and_the_actor_keeps_working()
    {
        var silent = _system.ActorOf(Props.Create(() => new SilentActor()), "silent");
        var sources = TelemetrySources.None with { Mode = silent, Breakers = silent, Symbols = silent, SymbolNames = ["EURUSD"], Decisions = silent, Ledger = silent };
        var hub = new TelemetryHub(TelemetrySnapshot.Empty(T0, _settings));
        var actor = _system.ActorOf(TelemetryActor.Props(_settings, sources, new TelemetryWriter(_settings), hub, null, TelemetryText.None, _loop), "telemetry-silent");

        var flushed = await actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(10));

        Assert.True(flushed.Version > 0);
        Assert.Null(hub.Latest.Mode);
        Assert.Null(hub.Latest.Nav.NavTotal);
        Assert.Null(hub.Latest.Scores.Overall);
    }

    private sealed class SilentActor : ReceiveActor
    {
        public SilentActor() => ReceiveAny(_ => { });
    }
}
