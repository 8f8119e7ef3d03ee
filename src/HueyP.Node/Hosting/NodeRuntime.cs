using HueyP.Actors;
using HueyP.Node.Configuration;

namespace HueyP.Node.Hosting;

/// <summary>What the admin endpoints of a running node can see and do.</summary>
public sealed class NodeRuntime(ActorSystem system, NodeSettings settings, RunManifest manifest, string configJson, TimeProvider clock)
{
    private readonly TaskCompletionSource<string> _shutdownRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ActorSystem System { get; } = system;
    public NodeSettings Settings { get; } = settings;
    /// <summary>Set once more after the admin API has bound, so the manifest names the real address.</summary>
    public RunManifest Manifest { get; internal set; } = manifest;

    /// <summary>The resolved configuration with secrets redacted, as JSON.</summary>
    public string ConfigJson { get; } = configJson;

    public TimeProvider Clock { get; } = clock;

    /// <summary>The event journal and snapshot store persistent actors write to.</summary>
    public HueyP.Persistence.PersistenceStore? Journal { get; init; }

    /// <summary>
    /// The trading subtree (/user/engine); null while the node is starting, and on a cluster standby (between terms).
    /// </summary>
    public HueyP.Engine.EngineHost? Engine { get; internal set; }

    /// <summary>Starts and stops the engine; a cluster candidate does so at every lease won or lost.</summary>
    public EngineLifecycle? EngineLifecycle { get; internal set; }

    /// <summary>host:port the admin API is bound to (the real port when configured as 0).</summary>
    public string AdminAddress { get; internal set; } = "";
    /// <summary>The hosted subsystems that are on, in start order.</summary>
    public IReadOnlyList<HueyP.Node.Modules.INodeModule> Modules { get; internal set; } = [];

    /// <summary>The running module of type <typeparamref name="T"/>, or null when it is off.</summary>
    public T? Module<T>() where T : class, HueyP.Node.Modules.INodeModule => Modules.OfType<T>().FirstOrDefault();

    /// <summary>Every secret the node knows (the admin token, configured passwords): what logs and telemetry mask.</summary>
    public HueyP.Node.Logging.SecretScrubber Scrubber { get; init; } = new();

    public DateTimeOffset StartedAt { get; } = clock.GetUtcNow();

    public Task<string> ShutdownRequested => _shutdownRequested.Task;

    public void RequestShutdown(string reason) => _shutdownRequested.TrySetResult(reason);
}
