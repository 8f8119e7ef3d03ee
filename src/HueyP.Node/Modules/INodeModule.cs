using HueyP.Node.Configuration;
using HueyP.Node.Hosting;

namespace HueyP.Node.Modules;

/// <summary>
/// A subsystem the node hosts beside the engine (the bridge, telemetry, the cluster member...). Each one reads its own
/// part of the configuration when the file is loaded (so a bad value stops the node before anything runs, with key,
/// file and line), starts after the engine, and stops before it, in reverse order.
/// </summary>
public interface INodeModule : IAsyncDisposable
{
    /// <summary>Short name for logs and the manifest's feature list, e.g. "bridge".</summary>
    string Name { get; }

    /// <summary>Off modules are neither started nor listed as features.</summary>
    bool Enabled { get; }

    /// <summary>Called once, after /user/engine is running and the admin API is bound.</summary>
    Task StartAsync(NodeRuntime node, CancellationToken ct);
}

/// <summary>Reads one module's settings; errors go to <paramref name="read"/> like every other setting's.</summary>
public interface INodeModuleFactory
{
    INodeModule Create(SettingsReader read);
}
