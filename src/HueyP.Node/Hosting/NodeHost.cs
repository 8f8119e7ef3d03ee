using HueyP.Actors;
using HueyP.Engine;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Serialization;
using HueyP.Node.Admin;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Node.Logging;
using Serilog.Extensions.Logging;

namespace HueyP.Node.Hosting;

/// <summary>
/// Starts a node in the order that keeps a bad start harmless: configuration (validated before anything runs),
/// logging, the actor system, the admin API, then the run manifest that says what is running; and stops it in order.
/// </summary>
public static class NodeHost
{
    public static async Task<int> RunAsync(string? configFile, TextWriter output, CancellationToken ct, Action<RunningNode>? started = null, bool exitWhenStarted = false)
    {
        await using var node = await StartAsync(configFile, output, ct);
        started?.Invoke(node);
        if (!exitWhenStarted)
        {
            var reason = await node.Runtime.ShutdownRequested.WaitAsync(ct).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "Ctrl-C", TaskScheduler.Default);
            node.Log.Information("Shutdown requested: {Reason}", reason);
        }

        return ExitCodes.Ok;
    }

    /// <param name="engine">
    /// How the engine is built from the node's settings: live by default; `hueyp replay` passes a replay-mode engine with
    /// its own symbols and record file, so the main job runs as a real node (Serilog, manifest, admin API).
    /// </param>
    public static async Task<RunningNode> StartAsync(string? configFile, TextWriter output, CancellationToken ct = default,
        Func<NodeSettings, EngineSettings>? engine = null)
    {
        var loaded = NodeConfiguration.Load(configFile);
        if (loaded.Errors.Count > 0)
        {
            throw new CommandFailedException($"the configuration {loaded.File} is invalid; nothing was started:\n  " + string.Join("\n  ", loaded.Errors));
        }

        var settings = loaded.Settings!;
        Directory.CreateDirectory(settings.Node.RunDir);
        var scrubber = new SecretScrubber();
        var token = AdminToken.LoadOrCreate(settings.Admin.TokenFile);
        scrubber.AddSecret(token.Value);
        foreach (var secret in loaded.Secrets)
        {
            scrubber.AddSecret(secret);
        }

        // A cluster member fences the journal and owns the engine's start; a standalone node starts the engine here.
        var member = loaded.Modules.Where(m => m.Enabled).OfType<IJournalFenceSource>().FirstOrDefault();
        if (settings.Node.Role == "candidate" && member is null)
        {
            throw new CommandFailedException("hueyp.node.role = candidate needs the cluster module; nothing was started");
        }

        var serializer = NodeEvents.Serializer();
        var journal = await NodeJournal.OpenAsync(settings, serializer, ct, member);
        var logger = NodeLogging.Create(settings.Logging, scrubber, output == Console.Out ? null : output);
        var loggerFactory = new SerilogLoggerFactory(logger, dispose: false);
        var clock = TimeProvider.System;
        var system = ActorSystem.Create("hueyp", ActorSystemSettings.Default with
        {
            LoggerFactory = loggerFactory,
            Throughput = settings.Actors.Throughput,
            DefaultAskTimeout = settings.Actors.AskTimeout,
            TimeProvider = clock,
        });
        HueyP.Persistence.PersistentActors.Persistence.Install(system, journal);
        // hueyp.modes reaches the mode actor of every engine this node starts (one per cluster term).
        HueyP.Engine.Health.DegradeSettings.Install(system, HueyP.Engine.Health.DegradeSettings.Default with
        {
            Mode = HueyP.Engine.Modes.ModeActorSettings.Default with { Options = settings.Trading.Modes },
            Health = HueyP.Engine.Health.HealthSamplerSettings.Default with { JournalOutage = settings.Trading.JournalOutage },
        });

        var (version, commit) = RunManifest.CodeVersion();
        var placeholder = new RunManifest(clock.GetUtcNow().UtcDateTime, settings.Node.Name, settings.Node.Role, settings.Node.Mode, version, commit,
            RunManifest.Dotnet, loaded.ConfigHash, Features(settings), settings.Persistence.Provider, settings.Persistence.Location, "");
        var runtime = new NodeRuntime(system, settings, placeholder, loaded.RedactedJson, clock) { Journal = journal, Scrubber = scrubber };
        AdminServer admin;
        try
        {
            admin = await AdminServer.StartAsync(settings.Admin, token, new AuditLog(Path.Combine(settings.Node.RunDir, "logs", "audit.jsonl")),
                runtime, EndpointRegistry.All, loggerFactory, ct);
        }
        catch
        {
            await system.Terminate();
            await journal.DisposeAsync();
            await logger.DisposeAsync();
            throw;
        }

        runtime.AdminAddress = admin.Address;
        // Telemetry's latency probes go to the journal now and to every engine this node starts (they exist before the
        // module starts, which is after the engine).
        var probes = loaded.Modules.OfType<HueyP.Node.Telemetry.TelemetryModule>().FirstOrDefault(m => m.Enabled)?.Probes;
        if (probes is not null) probes.AttachJournal(journal.WriteStats);
        var engineSettings = (engine ?? EngineConfiguration.LiveEngine)(settings);
        engineSettings = HueyP.Node.Bridge.Mt4Broker.Mt4BrokerSelection.Apply(engineSettings, loaded.Modules);
        if (probes is not null && engineSettings.Orders is { } orders) engineSettings = engineSettings with { Orders = orders with { AckObserver = probes } };
        runtime.EngineLifecycle = new EngineLifecycle(runtime, () => EngineHost.StartAsync(system, engineSettings, observer: probes), logger);
        try
        {
            if (member is null)
            {
                await runtime.EngineLifecycle.StartAsync(epoch: 0, ct);
                runtime.Engine!.AddShutdownTasks(CoordinatedShutdown.Get(system));
            }
        }
        catch (EngineStartException e)
        {
            await admin.DisposeAsync();
            await system.Terminate();
            await journal.DisposeAsync();
            await logger.DisposeAsync();
            throw new CommandFailedException($"the engine did not start; nothing runs: {e.Message}");
        }

        var started = new List<HueyP.Node.Modules.INodeModule>();
        try
        {
            foreach (var module in loaded.Modules.Where(m => m.Enabled))
            {
                await module.StartAsync(runtime, ct);
                started.Add(module);
                logger.Information("Module {Module} started", module.Name);
            }
        }
        catch (Exception e)
        {
            started.Reverse();
            foreach (var module in started) await module.DisposeAsync();
            await admin.DisposeAsync();
            await system.Terminate();
            await journal.DisposeAsync();
            await logger.DisposeAsync();
            throw new CommandFailedException($"a node module did not start; nothing runs: {e.Message}");
        }

        runtime.Modules = started;
        var manifest = placeholder with
        {
            AdminEndpoint = $"http://{admin.Address}",
            Features = [.. placeholder.Features, .. started.Select(m => m.Name)],
        };
        runtime.Manifest = manifest;
        manifest.WriteTo(Path.Combine(settings.Node.RunDir, "manifest.json"));
        logger.Information("Node {Node} started ({Mode}, {Role}); admin API at {Admin}; manifest at {Manifest}",
            settings.Node.Name, settings.Node.Mode, settings.Node.Role, manifest.AdminEndpoint, Path.Combine(settings.Node.RunDir, "manifest.json"));
        return new RunningNode(runtime, admin, logger, loggerFactory);
    }

    private static IReadOnlyList<string> Features(NodeSettings settings) =>
        ["admin-api", $"journal-{settings.Persistence.Provider}", $"broker-{settings.Node.Mode}"];
}

/// <summary>A started node; disposing it shuts it down in order.</summary>
public sealed class RunningNode(NodeRuntime runtime, AdminServer admin, Serilog.Core.Logger log, SerilogLoggerFactory loggerFactory) : IAsyncDisposable
{
    public NodeRuntime Runtime { get; } = runtime;
    public AdminServer Admin { get; } = admin;
    public Serilog.ILogger Log { get; } = log;

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        foreach (var module in Runtime.Modules.Reverse())
        {
            await module.DisposeAsync();
        }

        if (Runtime.Engine is { } engine)
        {
            await engine.DisposeAsync();
        }

        await Runtime.System.Terminate();
        if (Runtime.Journal is { } journal)
        {
            await journal.DisposeAsync();
        }

        Log.Information("Node {Node} stopped", Runtime.Settings.Node.Name);
        loggerFactory.Dispose();
        await log.DisposeAsync();
    }
}
