using HueyP.Actors;
using HueyP.Engine;
using HueyP.Node.Admin;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Node.Logging;
using HueyP.Node.Telemetry;
using HueyP.Persistence;

namespace HueyP.Node.Hosting;

/// <summary>
/// The admin API, the dashboard and telemetry over a replay (`hueyp replay --dashboard`): the replay's actor system and
/// engine seen through the same runtime a node has, so the page shows the replay's ticks, decisions, orders and P&amp;L
/// while it runs. Only telemetry starts (no bridge, no cluster); the engine is a replay engine, so the controls that
/// change trading answer that they are not available. Telemetry only asks and listens: the replay's decisions and
/// hashes are the same with and without it.
/// </summary>
public sealed class ReplayDashboard : IAsyncDisposable
{
    private readonly AdminServer _admin;
    private readonly TelemetryModule? _telemetry;

    private ReplayDashboard(NodeRuntime runtime, AdminServer admin, TelemetryModule? telemetry, string tokenFile)
    {
        Runtime = runtime;
        _admin = admin;
        _telemetry = telemetry;
        TokenFile = tokenFile;
    }

    public NodeRuntime Runtime { get; }
    public string Address => _admin.Address;
    public string Url => $"http://{_admin.Address}/";
    public string TokenFile { get; }

    /// <summary>The probes to hand the replay's engine and journal before they start; null when telemetry is off.</summary>
    public static TelemetryProbes? ProbesOf(LoadedConfiguration loaded) =>
        loaded.Modules.OfType<TelemetryModule>().FirstOrDefault(m => m.Enabled)?.Probes;

    /// <exception cref="CommandFailedException">The admin address is not allowed (a non-loopback host without allow-remote).</exception>
    public static async Task<ReplayDashboard> StartAsync(LoadedConfiguration loaded, ReplayRun run, ActorSystem system, EngineHost engine,
        PersistenceStore journal, CancellationToken ct)
    {
        var settings = loaded.Settings!;
        var scrubber = new SecretScrubber();
        var token = AdminToken.LoadOrCreate(settings.Admin.TokenFile);
        scrubber.AddSecret(token.Value);
        foreach (var secret in loaded.Secrets) scrubber.AddSecret(secret);
        var manifest = run.Manifest;
        var runtime = new NodeRuntime(system, settings, manifest, loaded.RedactedJson, TimeProvider.System) { Journal = journal, Scrubber = scrubber };
        runtime.Engine = engine;
        var audit = new AuditLog(Path.Combine(settings.Node.RunDir, "logs", "audit.jsonl"));
        AdminServer admin;
        try
        {
            admin = await AdminServer.StartAsync(settings.Admin, token, audit, runtime, EndpointRegistry.All, run.LoggerFactory, ct);
        }
        catch (IOException e) when (settings.Admin.Port != 0)
        {
            // The configured port is taken (a node runs on this machine, say): the replay must not fail for a dashboard.
            run.Log.Warning("Replay dashboard: {Host}:{Port} is in use ({Error}); using a free port", settings.Admin.Host, settings.Admin.Port, e.GetBaseException().Message);
            admin = await AdminServer.StartAsync(settings.Admin with { Port = 0 }, token, audit, runtime, EndpointRegistry.All, run.LoggerFactory, ct);
        }
        catch (InvalidOperationException e)
        {
            throw new CommandFailedException($"the dashboard cannot listen on {settings.Admin.Host}:{settings.Admin.Port}: {e.Message}");
        }

        runtime.AdminAddress = admin.Address;
        var telemetry = loaded.Modules.OfType<TelemetryModule>().FirstOrDefault(m => m.Enabled);
        if (telemetry is not null)
        {
            await telemetry.StartAsync(runtime, ct);
            runtime.Modules = [telemetry];
        }

        runtime.Manifest = manifest with { AdminEndpoint = $"http://{admin.Address}", Features = [.. manifest.Features, "admin-api", .. runtime.Modules.Select(m => m.Name)] };
        runtime.Manifest.WriteTo(run.ManifestPath);
        run.Log.Information("Replay dashboard at http://{Admin}/ (token {TokenFile})", admin.Address, settings.Admin.TokenFile);
        return new ReplayDashboard(runtime, admin, telemetry, settings.Admin.TokenFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        if (_telemetry is not null) await _telemetry.DisposeAsync();
    }
}
