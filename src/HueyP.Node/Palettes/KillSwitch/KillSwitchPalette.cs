using System.CommandLine;
using System.Text.Json;
using HueyP.Node.Cli;
using HueyP.Node.Palettes.Orders;
using Spectre.Console;

namespace HueyP.Node.Palettes.KillSwitch;

/// <summary>`hueyp kill-switch on|off --reason TEXT [--cancel-all]` and `kill-switch show`: stop (or allow) new orders on a running node.</summary>
public sealed class KillSwitchPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var killSwitch = new Command("kill-switch", "Block every new order (KILL_SWITCH_ACTIVE), optionally cancel working ones; journaled, survives restarts");

        var show = new Command("show", "Whether the kill switch is on, since when, by whom and why");
        show.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/kill-switch", t), json => Render(context, json), ct));
        killSwitch.Subcommands.Add(show);

        foreach (var active in new[] { true, false })
        {
            var command = new Command(active ? "on" : "off", active ? "Block every new order from now on" : "Allow new orders again");
            var reason = new Option<string>("--reason") { Description = "Why (kept in the journal and the audit log)", Required = true };
            command.Options.Add(reason);
            var cancelAll = new Option<bool>("--cancel-all") { Description = "Also ask the broker to cancel every working order" };
            if (active) command.Options.Add(cancelAll);
            command.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed,
                (c, t) => c.PostAsync("/api/kill-switch", new { active, reason = parsed.GetValue(reason), cancel_all = active && parsed.GetValue(cancelAll), who = Environment.UserName }, t,
                    parsed.GetValue(reason)),
                json => Render(context, json), ct));
            killSwitch.Subcommands.Add(command);
        }

        return killSwitch;
    }

    private static void Render(CliContext context, JsonElement json)
    {
        var on = json.GetProperty("active").GetBoolean();
        context.Console.MarkupLine(on
            ? $"Kill switch [bold red]ON[/]{(json.GetProperty("cancel_all").GetBoolean() ? " (cancel-all)" : "")}: new orders are denied with KILL_SWITCH_ACTIVE"
            : "Kill switch [bold green]OFF[/]: new orders may be sent");
        if (OrdersPalette.S(json, "changed_at").Length > 0)
            context.Console.MarkupLineInterpolated($"set {OrdersPalette.S(json, "changed_at")} by {OrdersPalette.S(json, "who")}: {OrdersPalette.S(json, "reason")}");
        if (json.TryGetProperty("canceled", out var canceled) && canceled.ValueKind == JsonValueKind.Object) OrdersPalette.RenderCancelAll(context, canceled);
    }
}
