using System.CommandLine;
using Spectre.Console;

namespace HueyP.Node.Cli;

/// <summary>
/// What every command needs besides its own arguments: where to write, whether to write JSON,
/// and how to reach the node. Global options are recursive, so `hueyp node status --json` works.
/// </summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error)
    {
        Output = output;
        Error = error;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == System.Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output == System.Console.Out ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
    }

    public TextWriter Output { get; }
    public TextWriter Error { get; }
    public IAnsiConsole Console { get; }

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of a table", Recursive = true };

    public Option<string?> Node { get; } = new("--node") { Description = "Admin endpoint of the node, host:port (default from configuration)", Recursive = true };

    public Option<string?> TokenFile { get; } = new("--token-file") { Description = "File holding the admin bearer token (default from configuration)", Recursive = true };

    public Option<string?> ConfigFile { get; } = new("--config", "-c") { Description = "HOCON configuration file (default hocon/paper.conf)", Recursive = true };

    public bool WantsJson(ParseResult result) => result.GetValue(Json);
}
