using HueyP.Actors;
using HueyP.Engine.Breakers;
using HueyP.Engine.Modes;
using HueyP.Node.Admin;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;
using HueyP.Node.Logging;
using HueyP.Node.Modules;

namespace HueyP.Node.Telemetry;

/// <summary>
/// The telemetry module: the /user/telemetry actor, the state files and logs, the metrics behind /metrics and the
/// snapshot the dashboard shows. Off (hueyp.telemetry.enabled = off), the dashboard shows n/a and /metrics is empty.
/// </summary>
public sealed class TelemetryModule(TelemetrySettings settings) : INodeModule
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);
    private ActorSystem? _system;
    private TelemetryWriteLoop? _loop;

    public string Name => "telemetry";
    public bool Enabled => settings.Enabled;
    public TelemetrySettings Settings => settings;

    /// <summary>Null until started.</summary>
    public TelemetryHub? Hub { get; private set; }
    public TelemetryMetrics? Metrics { get; private set; }
    public PrometheusExporter? Exporter { get; private set; }

    /// <summary>The OTLP exporter when hueyp.telemetry.otlp.enabled is on; null otherwise.</summary>
    public TelemetryOtlp? Otlp { get; private set; }
    public IActorRef Actor { get; private set; } = ActorRefs.Nobody;

    /// <summary>
    /// The engine's and the journal's latency observers. They exist before the module starts because the node starts
    /// the engine first: the node hands them to every engine it starts (NodeHost) and to its journal.
    /// </summary>
    public TelemetryProbes Probes { get; } = new();

    public async Task StartAsync(NodeRuntime node, CancellationToken ct)
    {
        _system = node.System;
        var now = node.System.Scheduler.Now;
        Hub = new TelemetryHub(TelemetrySnapshot.Empty(now, settings));
        Metrics = new TelemetryMetrics(Hub);
        Exporter = new PrometheusExporter(Metrics.Meter);
        Probes.AttachMetrics(Metrics);
        Otlp = TelemetryOtlp.Start(settings.Otlp);
        if (Otlp is not null)
            node.System.Log.Info("telemetry: OTLP export of meter {Meter} to {Endpoint} ({Protocol}) every {Interval}", TelemetryMetrics.MeterName, settings.Otlp.Endpoint, settings.Otlp.Protocol, settings.Otlp.ExportInterval);
        var engine = node.Engine;
        var sources = new TelemetrySources(
            await TryResolve(node.System, HueyP.Node.Palettes.Modes.ModeEndpoints.ModePath),
            await TryResolve(node.System, HueyP.Node.Palettes.Modes.ModeEndpoints.BreakersPath),
            engine?.Refs.Symbols,
            engine?.Symbols.Order(StringComparer.Ordinal).ToList() ?? [],
            engine?.Refs.Decisions,
            engine?.Refs.Agents,
            engine?.OrderSide is { } side && !side.Ledger.IsNobody() ? side.Ledger : await TryResolve(node.System, "/user/engine/ledger"),
            node.System.Diagnostics,
            Intake: engine?.OrderSide is { } s2 && !s2.Intake.IsNobody() ? s2.Intake : null,
            Book: engine?.OrderSide is { } s3 ? s3.BookAsync : null,
            // Modules are listed on the runtime only once all have started: find the bridge router by its path.
            BridgeRouter: await TryResolve(node.System, HueyP.Node.Bridge.BridgeModule.RouterPath),
            Probes: Probes);
        var writer = new TelemetryWriter(settings);
        // The actor is created right after; results reach it by path so the loop needs no reference to it first.
        var actorPath = node.System.ActorSelection("/user/" + TelemetryActor.ActorName);
        _loop = new TelemetryWriteLoop(writer, r => actorPath.Tell(r, ActorRefs.NoSender));
        Actor = node.System.ActorOf(TelemetryActor.Props(settings, sources, writer, Hub, Metrics, new TelemetryText(node.Scrubber), _loop), TelemetryActor.ActorName);
        await Actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(10), ct);
    }

    /// <summary>For the dashboard's controls: the action appears in the timeline and events.jsonl.</summary>
    public void Record(RecordOperatorAction action) => Actor.Tell(action, ActorRefs.NoSender);

    private static async Task<IActorRef?> TryResolve(ActorSystem system, string path)
    {
        try
        {
            return await system.ActorSelection(path).ResolveOne(ResolveTimeout);
        }
        catch (ActorNotFoundException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_system is not null && !Actor.IsNobody())
        {
            try
            {
                await Actor.Ask<TelemetryFlushed>(FlushTelemetry.Instance, TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
            {
                // Stopping anyway: PostStop writes once more.
            }

            await _system.GracefulStop(Actor, TimeSpan.FromSeconds(10));
        }

        // The actor's last write (PostStop) is queued by now: write it, then stop the loop.
        if (_loop is not null) await _loop.DisposeAsync();
        Probes.Dispose();
        Otlp?.Dispose();
        Exporter?.Dispose();
        Metrics?.Dispose();
    }
}

public sealed class TelemetryModuleFactory : INodeModuleFactory
{
    public INodeModule Create(SettingsReader read) => new TelemetryModule(TelemetrySettings.Read(read));
}

