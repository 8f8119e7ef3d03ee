using System.CommandLine;

namespace HueyP.Node.Cli;

/// <summary>
/// A group of commands one subsystem owns (as Petabridge.Cmd palettes are): the journal registers `journal ...`,
/// the mode manager `mode ...`. The root command is assembled from whatever palettes are registered.
/// </summary>
public interface ICommandPalette
{
    Command Build(CliContext context);
}
