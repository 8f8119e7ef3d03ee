using HueyP.Node.Palettes.Actors;
using HueyP.Node.Palettes.Configuration;
using HueyP.Node.Palettes.Engine;
using HueyP.Node.Palettes.Journal;
using HueyP.Node.Palettes.Logs;
using HueyP.Node.Palettes.Modes;
using HueyP.Node.Palettes.Node;
using HueyP.Node.Palettes.Ledger;
using HueyP.Node.Palettes.Orders;
using HueyP.Node.Palettes.Replay;
using HueyP.Node.Palettes.Report;
using HueyP.Node.Palettes.State;

namespace HueyP.Node.Cli;

/// <summary>Every subsystem's command palette; `hueyp --help` lists them in this order.</summary>
public static class PaletteRegistry
{
    public static IReadOnlyList<ICommandPalette> All { get; } = [new NodePalette(), new ActorPalette(), new ConfigPalette(), new LogPalette(), new JournalPalette(), new ReplayPalette(), new ReportPalette(), new StatePalette(), new OrdersPalette(), new LedgerPalette(), new HueyP.Node.Palettes.KillSwitch.KillSwitchPalette(), new SymbolsPalette(), new GatesPalette(), new DecisionsPalette(), new ModePalette(), new BreakersPalette(), new HueyP.Node.Palettes.Transports.TransportsPalette(), new HueyP.Node.Palettes.EaSim.EaSimPalette(), new HueyP.Node.Palettes.Cluster.ClusterPalette()];
}
