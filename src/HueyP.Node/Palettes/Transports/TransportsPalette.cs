using System.CommandLine;
using HueyP.Node.Cli;
using HueyP.Node.Palettes.Modes;
using Spectre.Console;

namespace HueyP.Node.Palettes.Transports;

/// <summary>`hueyp transports show | fail NAME [--mode close|stall|corrupt]`: the bridge's routes, and chaos on a running node.</summary>
public sealed class TransportsPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var transports = new Command("transports", "The MT4 bridge's transports (socket, pipe, spool): which carries traffic, their health, the outbox");

        var show = new Command("show", "Active route, each transport's state, latency, traffic and last error, and the outbox depth");
        show.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/transports", t), json =>
        {
            var route = ModePalette.T(json, "route");
            var forced = ModePalette.T(json, "forced");
            context.Console.MarkupLine($"Route [bold]{(route.Length == 0 ? "[red]none[/]" : route)}[/]{(forced.Length > 0 ? $" [yellow](forced to {forced}: {Markup.Escape(ModePalette.T(json, "forced_reason"))})[/]" : "")}");
            var table = new Table().AddColumns("transport", "state", "endpoint", "latency (ms)", "sent", "received", "drops", "failures", "last error");
            foreach (var t in json.GetProperty("transports").EnumerateArray())
            {
                var state = t.GetProperty("active").GetBoolean() ? "[green]active[/]"
                    : !t.GetProperty("up").GetBoolean() ? "[red]down[/]"
                    : t.GetProperty("verified").GetBoolean() ? "standby" : "[yellow]verifying[/]";
                table.AddRow(ModePalette.T(t, "name"), state, ModePalette.T(t, "endpoint"), ModePalette.T(t, "latency_ms"), ModePalette.T(t, "sent"),
                    ModePalette.T(t, "received"), ModePalette.T(t, "drops"), ModePalette.T(t, "failures"), ModePalette.T(t, "last_error"));
            }

            context.Console.Write(table);
            var outbox = json.GetProperty("outbox");
            var oldest = ModePalette.T(outbox, "oldest_age_s");
            context.Console.MarkupLine($"outbox: {ModePalette.T(outbox, "depth")} unacknowledged{(oldest.Length > 0 ? $", oldest {oldest} s old" : "")}");
        }, ct));
        transports.Subcommands.Add(show);

        var fail = new Command("fail", "Chaos: make a transport fail now (close crashes it, stall goes silent, corrupt damages frames); it repairs on its own");
        var name = new Argument<string>("name") { Description = "socket, pipe or spool" };
        var mode = new Option<string>("--mode") { Description = "close, stall or corrupt", DefaultValueFactory = _ => "close" };
        mode.AcceptOnlyFromAmong("close", "stall", "corrupt");
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the log and the audit log)" };
        fail.Arguments.Add(name);
        fail.Options.Add(mode);
        fail.Options.Add(reason);
        fail.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.PostAsync("/api/transports/fail", new { name = parsed.GetValue(name), mode = parsed.GetValue(mode), reason = parsed.GetValue(reason), who = Environment.UserName }, t, parsed.GetValue(reason)),
            json => context.Console.MarkupLine($"[yellow]{ModePalette.T(json, "detail")}[/]; watch it fail over and repair with `hueyp transports show`"), ct));
        transports.Subcommands.Add(fail);

        var force = new Command("force", "Pin traffic to one healthy transport (it must have a live link), or give the choice back to the failover router with auto");
        var target = new Argument<string>("name") { Description = "socket, pipe, spool or auto" };
        target.AcceptOnlyFromAmong("socket", "pipe", "spool", "auto");
        var why = new Option<string>("--reason") { Description = "Why (required; kept in the log and the audit log)", Required = true };
        force.Arguments.Add(target);
        force.Options.Add(why);
        force.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.PostAsync("/api/transports/force", new { name = parsed.GetValue(target), reason = parsed.GetValue(why), who = Environment.UserName }, t, parsed.GetValue(why)),
            json => context.Console.MarkupLine($"[yellow]{Markup.Escape(ModePalette.T(json, "detail"))}[/]; see the route with `hueyp transports show`"), ct));
        transports.Subcommands.Add(force);
        return transports;
    }
}
