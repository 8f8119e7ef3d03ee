using HueyP.Node.Cli;
using HueyP.Node.Configuration;
using HueyP.Node.Logging;
using Serilog.Extensions.Logging;

namespace HueyP.Node.Hosting;

/// <summary>
/// A replay is a run of the engine like any other: it reads the node's configuration, logs through Serilog to the
/// run folder's JSON log (the console stays for the summary) and writes run/manifest.json, so what produced a set of
/// decisions can be told afterwards.
/// </summary>
public sealed class ReplayRun : IAsyncDisposable
{
    private readonly Serilog.Core.Logger _logger;

    private ReplayRun(Serilog.Core.Logger logger, NodeSettings settings, string manifestPath, RunManifest manifest)
    {
        _logger = logger;
        Manifest = manifest;
        Settings = settings;
        ManifestPath = manifestPath;
        LoggerFactory = new SerilogLoggerFactory(logger, dispose: false);
    }

    public NodeSettings Settings { get; }
    public string ManifestPath { get; }
    /// <summary>What run/manifest.json says about this replay (the dashboard adds its address).</summary>
    public RunManifest Manifest { get; }
    public Microsoft.Extensions.Logging.ILoggerFactory LoggerFactory { get; }
    public Serilog.ILogger Log => _logger;

    /// <summary>The node's configuration for a replay: read and validated before anything runs.</summary>
    public static LoadedConfiguration Configuration(string? configFile)
    {
        var loaded = NodeConfiguration.Load(configFile);
        if (loaded.Errors.Count > 0)
        {
            throw new CommandFailedException($"the configuration {loaded.File} is invalid; nothing was replayed:\n  " + string.Join("\n  ", loaded.Errors));
        }

        return loaded;
    }

    public static ReplayRun Begin(LoadedConfiguration loaded, string journal, IReadOnlyList<string> data)
    {
        var settings = loaded.Settings!;
        Directory.CreateDirectory(settings.Node.RunDir);
        var scrubber = new SecretScrubber();
        foreach (var secret in loaded.Secrets)
        {
            scrubber.AddSecret(secret);
        }

        var logger = NodeLogging.Create(settings.Logging with { Console = false }, scrubber);
        var (version, commit) = RunManifest.CodeVersion();
        var manifest = new RunManifest(DateTime.UtcNow, settings.Node.Name, settings.Node.Role, "replay", version, commit, RunManifest.Dotnet,
            loaded.ConfigHash, ["replay", "paper-broker", "journal-sqlite"], "sqlite", journal, "");
        var manifestPath = Path.Combine(settings.Node.RunDir, "manifest.json");
        manifest.WriteTo(manifestPath);
        logger.Information("Replay of {Data} started on node {Node}; journal {Journal}; manifest {Manifest}", string.Join(", ", data), settings.Node.Name, journal, manifestPath);
        return new ReplayRun(logger, settings, manifestPath, manifest);
    }

    public async ValueTask DisposeAsync()
    {
        _logger.Information("Replay finished");
        LoggerFactory.Dispose();
        await _logger.DisposeAsync();
    }
}
