using System.CommandLine;

namespace HueyP.Node.Cli;

/// <summary>Assembles the `hueyp` root command from the registered palettes and maps outcomes to exit codes.</summary>
public static class CliApp
{
    public static RootCommand Build(CliContext context, IEnumerable<ICommandPalette> palettes)
    {
        var root = new RootCommand("hueyp — run and inspect a HueyP trading node");
        root.Options.Add(context.Json);
        root.Options.Add(context.Node);
        root.Options.Add(context.TokenFile);
        root.Options.Add(context.ConfigFile);
        foreach (var palette in palettes)
        {
            root.Subcommands.Add(palette.Build(context));
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IEnumerable<ICommandPalette> palettes, CancellationToken ct = default)
    {
        var context = new CliContext(output, error);
        var root = Build(context, palettes);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            ReportUsageErrors(parsed, error);
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (NodeUnreachableException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.NodeUnreachable;
        }
        catch (CommandFailedException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.CommandFailed;
        }
    }

    private static void ReportUsageErrors(ParseResult parsed, TextWriter error)
    {
        foreach (var parseError in parsed.Errors)
        {
            error.WriteLine($"error: {parseError.Message}");
        }

        var command = parsed.CommandResult.Command;
        var unknown = parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
        if (unknown is not null && CommandSuggestions.Closest(command, unknown) is { } suggestion)
        {
            error.WriteLine($"Did you mean '{suggestion}'?");
        }

        var path = string.Join(' ', ParentChain(parsed.CommandResult).Select(c => c.Name).Reverse().Skip(1));
        error.WriteLine($"See 'hueyp {(path.Length > 0 ? path + " " : "")}--help'.");
    }

    private static IEnumerable<Command> ParentChain(System.CommandLine.Parsing.CommandResult? result)
    {
        for (var r = result; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            yield return r.Command;
        }
    }
}
