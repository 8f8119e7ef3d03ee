using HueyP.Node.Palettes.Actors;
using HueyP.Node.Palettes.Configuration;
using HueyP.Node.Palettes.Engine;
using HueyP.Node.Palettes.Journal;
using HueyP.Node.Palettes.Logs;
using HueyP.Node.Palettes.Node;
using HueyP.Node.Palettes.Replay;

namespace HueyP.Node.Cli;

/// <summary>Every subsystem's command palette; `hueyp --help` lists them in this order.</summary>
public static class PaletteRegistry
{
    public static IReadOnlyList<ICommandPalette> All { get; } = [new NodePalette(), new ActorPalette(), new ConfigPalette(), new LogPalette(), new JournalPalette(), new ReplayPalette(), new SymbolsPalette(), new GatesPalette(), new DecisionsPalette()];
}
