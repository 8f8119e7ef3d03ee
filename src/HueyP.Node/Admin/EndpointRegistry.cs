using HueyP.Node.Palettes.Actors;
using HueyP.Node.Palettes.Engine;
using HueyP.Node.Palettes.Modes;
using HueyP.Node.Palettes.Logs;
using HueyP.Node.Palettes.Node;

namespace HueyP.Node.Admin;

/// <summary>Every subsystem's admin routes; a new palette adds its endpoints here and its commands in PaletteRegistry.</summary>
public static class EndpointRegistry
{
    public static IReadOnlyList<IAdminEndpoints> All { get; } = [new NodeEndpoints(), new ActorEndpoints(), new LogEndpoints(), new EngineEndpoints(), new ModeEndpoints(), new HueyP.Node.Palettes.Transports.TransportsEndpoints(), new HueyP.Node.Palettes.Orders.OrderSideEndpoints(), new HueyP.Node.Palettes.State.StateEndpoints(), new HueyP.Node.Dashboard.DashboardEndpoints(), new HueyP.Node.Palettes.Cluster.ClusterEndpoints()];
}
