namespace HueyP.Node.Modules;

/// <summary>Every hosted subsystem, in start order (stopped in reverse). A new subsystem adds its factory here.</summary>
public static class NodeModules
{
    public static IReadOnlyList<INodeModuleFactory> All { get; } = [new HueyP.Node.Bridge.BridgeModuleFactory(), new HueyP.Node.Telemetry.TelemetryModuleFactory(), new HueyP.Node.Cluster.ClusterModuleFactory()];
}
