using System.CommandLine;
using System.Text.Json;
using HueyP.Node.Admin;
using HueyP.Node.Cli;
using Spectre.Console;

namespace HueyP.Node.Palettes.Logs;

/// <summary>`hueyp log tail [-n N] [--level L] [-f]`.</summary>
public sealed class LogPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var log = new Command("log", "Read the node's log");
        var tail = new Command("tail", "The newest log events (from the node's JSON log)");
        var count = new Option<int>("-n") { Description = "How many events", DefaultValueFactory = _ => 50 };
        var level = new Option<string>("--level") { Description = "Minimum level: Debug, Information, Warning, Error", DefaultValueFactory = _ => "Information" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until Ctrl-C" };
        tail.Options.Add(count);
        tail.Options.Add(level);
        tail.Options.Add(follow);
        tail.SetAction(async (parsed, ct) =>
        {
            var query = $"/api/logs/tail?n={parsed.GetValue(count)}&level={Uri.EscapeDataString(parsed.GetValue(level)!)}";
            DateTimeOffset? last = null;
            var exit = await NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync(query, t), json => last = Print(context, json), ct);
            while (parsed.GetValue(follow) && !ct.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                var since = last is null ? "" : $"&after={Uri.EscapeDataString(last.Value.ToString("O"))}";
                await NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync(query + since, t), json => last = Print(context, json) ?? last, ct);
            }

            return exit;
        });
        log.Subcommands.Add(tail);
        return log;
    }

    private static DateTimeOffset? Print(CliContext context, JsonElement json)
    {
        DateTimeOffset? last = null;
        foreach (var line in json.Deserialize<List<LogLine>>(AdminWire.Options) ?? [])
        {
            var colour = LogTail.Level(line.Level) switch
            {
                >= Serilog.Events.LogEventLevel.Error => "red",
                Serilog.Events.LogEventLevel.Warning => "yellow",
                _ => "grey",
            };
            context.Console.MarkupLineInterpolated($"[{colour}]{line.Time:HH:mm:ss} {line.Level[..Math.Min(3, line.Level.Length)].ToUpperInvariant()}[/] {line.ActorPath ?? ""} {line.Message}{(line.Exception is null ? "" : " — " + line.Exception)}");
            last = line.Time;
        }

        return last;
    }
}
