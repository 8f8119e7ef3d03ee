using System.CommandLine;
using HueyP.Hocon;
using HueyP.Node.Cli;
using HueyP.Node.Configuration;

namespace HueyP.Node.Palettes.Configuration;

/// <summary>`hueyp config show | check`: the resolved configuration (secrets redacted) and its validation, offline.</summary>
public sealed class ConfigPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var config = new Command("config", "Show or check a configuration without starting a node");
        var file = new Option<string?>("--file", "-f") { Description = $"HOCON file (default: --config, else {NodeConfiguration.DefaultFile})" };

        var show = new Command("show", "Print the resolved configuration with secrets redacted");
        var format = new Option<string>("--format") { Description = "json or hocon", DefaultValueFactory = _ => "hocon" };
        format.AcceptOnlyFromAmong("json", "hocon");
        show.Options.Add(file);
        show.Options.Add(format);
        show.SetAction(parsed =>
        {
            var loaded = Load(context, parsed, file);
            var json = context.WantsJson(parsed) || parsed.GetValue(format) == "json";
            context.Output.WriteLine(json ? HoconRenderer.ToJson(loaded.Hocon!, redact: true) : HoconRenderer.ToHocon(loaded.Hocon!, redact: true));
            return ReportErrors(context, loaded);
        });
        config.Subcommands.Add(show);

        var check = new Command("check", "Validate a configuration as a node would at start-up; exit 1 with every problem listed");
        check.Options.Add(file);
        check.SetAction(parsed =>
        {
            var loaded = Load(context, parsed, file);
            if (loaded.Errors.Count == 0)
            {
                context.Output.WriteLine($"{loaded.File}: valid (config hash {loaded.ConfigHash[..12]})");
            }

            return ReportErrors(context, loaded);
        });
        config.Subcommands.Add(check);
        return config;
    }

    private static LoadedConfiguration Load(CliContext context, ParseResult parsed, Option<string?> file)
    {
        var loaded = NodeConfiguration.Load(parsed.GetValue(file) ?? parsed.GetValue(context.ConfigFile));
        if (loaded.Hocon is null)
        {
            throw new CommandFailedException(string.Join("\n", loaded.Errors));
        }

        return loaded;
    }

    private static int ReportErrors(CliContext context, LoadedConfiguration loaded)
    {
        foreach (var error in loaded.Errors)
        {
            context.Error.WriteLine($"error: {error}");
        }

        return loaded.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.CommandFailed;
    }
}
