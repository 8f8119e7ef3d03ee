using System.CommandLine;
using System.Text.Json;
using HueyP.Node.Cli;
using Spectre.Console;

namespace HueyP.Node.Palettes.Modes;

/// <summary>
/// `hueyp mode show | history | clear --reason R | hold --reason R | release --reason R`: where the degrade/repair
/// ladder stands and why, and the operator's hold on new entries.
/// </summary>
public sealed class ModePalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var mode = new Command("mode", "The operating mode (NORMAL, DEGRADED_*, SAFE_MODE): why, what is allowed, when it may recover");

        var show = new Command("show", "Current mode, active conditions with their causes, permissions and recovery dwell");
        show.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/mode", t), json => RenderStatus(context, json), ct));
        mode.Subcommands.Add(show);

        var history = new Command("history", "Mode transitions with their causes, oldest first");
        var count = new Option<int>("-n") { Description = "How many of the newest transitions (0: all kept)", DefaultValueFactory = _ => 50 };
        history.Options.Add(count);
        history.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync($"/api/mode/history?n={parsed.GetValue(count)}", t), json =>
        {
            var table = new Table().AddColumns("at", "from", "to", "causes");
            foreach (var transition in json.GetProperty("transitions").EnumerateArray())
            {
                table.AddRow(T(transition, "at"), T(transition, "from"), T(transition, "to"), Causes(transition));
            }

            context.Console.Write(table);
        }, ct));
        mode.Subcommands.Add(history);

        var clear = new Command("clear", "Leave SAFE_MODE (the only way out); refused in any other mode");
        var reason = new Option<string>("--reason") { Description = "Why it is safe to trade again (kept in the journal and the audit log)", Required = true };
        clear.Options.Add(reason);
        clear.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.PostAsync("/api/mode/clear", new { reason = parsed.GetValue(reason), who = Environment.UserName }, t, parsed.GetValue(reason)),
            json => context.Console.MarkupLine($"Mode now [bold]{T(json, "mode")}[/]"
                + (json.TryGetProperty("transition", out var tr) && tr.ValueKind == JsonValueKind.Object ? $": {Causes(tr)}" : "")), ct));
        mode.Subcommands.Add(clear);
        mode.Subcommands.Add(HoldCommand(context, "hold", on: true,
            "Hold new entries: manage-only (DEGRADED_EXEC at least; exits, stops and take-profits still work) until `hueyp mode release`; journaled, survives a restart",
            "Why entries are held (kept in the journal and the audit log)"));
        mode.Subcommands.Add(HoldCommand(context, "release", on: false, "Release the hold on new entries; the mode goes back to what the health ladder says",
            "Why entries may resume (kept in the journal and the audit log)"));
        return mode;
    }

    private static Command HoldCommand(CliContext context, string name, bool on, string description, string reasonHelp)
    {
        var command = new Command(name, description);
        var reason = new Option<string>("--reason") { Description = reasonHelp, Required = true };
        command.Options.Add(reason);
        command.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.PostAsync($"/api/mode/{name}", new { reason = parsed.GetValue(reason), who = Environment.UserName }, t, parsed.GetValue(reason)),
            json =>
            {
                var hold = json.TryGetProperty("hold", out var h) && h.ValueKind == JsonValueKind.Object ? h : (JsonElement?)null;
                context.Console.MarkupLine(hold is { } held
                    ? $"New entries [bold yellow]held[/] by {T(held, "who")} since {T(held, "since")}: {T(held, "reason")}; mode [bold]{T(json, "mode")}[/]"
                    : $"New entries [bold green]not held[/]; mode [bold]{T(json, "mode")}[/]");
                if (json.TryGetProperty("transition", out var tr) && tr.ValueKind == JsonValueKind.Object)
                    context.Console.MarkupLine($"{T(tr, "from")} -> {T(tr, "to")}: {Causes(tr)}");
            }, ct));
        return command;
    }

    private static void RenderStatus(CliContext context, JsonElement json)
    {
        var name = T(json, "mode");
        var colour = name == "NORMAL" ? "green" : name == "SAFE_MODE" ? "red" : "yellow";
        context.Console.MarkupLine($"Mode [bold {colour}]{name}[/] (as of {T(json, "as_of")})");
        if (json.TryGetProperty("hold", out var hold) && hold.ValueKind == JsonValueKind.Object)
            context.Console.MarkupLine($"[bold yellow]new entries held[/] by {T(hold, "who")} since {T(hold, "since")}: {T(hold, "reason")} "
                + $"(the health ladder alone says {T(json, "ladder_mode")}; `hueyp mode release --reason R` ends it)");
        var p = json.GetProperty("permissions");
        context.Console.MarkupLine($"new entries {T(p, "allows_new_entries")}, exit management {T(p, "allows_exit_management")}, flatten {T(p, "flatten_positions")}, signal {T(p, "signal_source")}, transport {T(p, "transport")}");
        var conditions = json.GetProperty("conditions");
        if (conditions.GetArrayLength() > 0)
        {
            var table = new Table().Title("active conditions").AddColumns("mode", "key", "since", "cause");
            foreach (var c in conditions.EnumerateArray())
            {
                table.AddRow(T(c, "mode"), T(c, "key"), T(c, "since"), T(c, "cause"));
            }

            context.Console.Write(table);
        }

        if (json.TryGetProperty("dwell_remaining_s", out var dwell) && dwell.ValueKind == JsonValueKind.Number)
        {
            var eta = json.TryGetProperty("recovery_eta", out var e) && e.ValueKind == JsonValueKind.String ? $", earliest recovery {Markup.Escape(e.GetString()!)}" : " (dwell starts when every health gate is good)";
            var verified = json.GetProperty("verified_at").EnumerateObject().Select(v => v.Name).ToList();
            context.Console.MarkupLine($"recovery dwell remaining {T(json, "dwell_remaining_s")} s{eta}; primary verified: {(verified.Count == 0 ? "none" : string.Join(", ", verified))}");
        }

        if (json.TryGetProperty("unjournaled_events", out var pending) && pending.ValueKind == JsonValueKind.Number && pending.GetInt32() > 0)
            context.Console.MarkupLine($"[yellow]{pending.GetInt32()} mode event(s) decided while the journal is down, journaled when it returns[/]");

        if (json.TryGetProperty("repairs", out var repairs) && repairs.ValueKind == JsonValueKind.Array && repairs.GetArrayLength() > 0)
        {
            foreach (var r in repairs.EnumerateArray())
            {
                var progress = r.GetProperty("progress").GetDouble().ToString("P0", System.Globalization.CultureInfo.InvariantCulture);
                context.Console.MarkupLine($"repair [bold]{T(r, "runbook")}[/] ({T(r, "path")}/{T(r, "target")}) {T(r, "status")} {Markup.Escape(progress)}: {T(r, "last_event")}");
                foreach (var step in r.GetProperty("steps").EnumerateArray()) context.Console.MarkupLine("  " + Markup.Escape(step.GetString() ?? ""));
            }
        }
    }

    internal static string T(JsonElement element, string property) =>
        Markup.Escape(!element.TryGetProperty(property, out var value) ? "" : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "",
            // Seconds to wait: a person reads 59.9, not 59.9379764.
            JsonValueKind.Number when !value.TryGetInt64(out _) => value.GetDouble().ToString("0.#", System.Globalization.CultureInfo.InvariantCulture),
            _ => value.GetRawText(),
        });

    internal static string Causes(JsonElement transition) =>
        Markup.Escape(string.Join("; ", transition.GetProperty("causes").EnumerateArray().Select(c => c.GetString())));
}

/// <summary>`hueyp breakers show | reset NAME --reason R`: the dependency circuit breakers.</summary>
public sealed class BreakersPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var breakers = new Command("breakers", "Circuit breakers per dependency (broker_submit, broker_reads, bridge, data_primary, data_fallback, journal)");

        var show = new Command("show", "Status, level, open-until and recent failures of every breaker");
        show.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/breakers", t), json =>
        {
            var table = new Table().AddColumns("name", "status", "level", "retry in (s)", "recent failures", "times opened", "last cause");
            foreach (var b in json.GetProperty("breakers").EnumerateArray())
            {
                var status = ModePalette.T(b, "status");
                table.AddRow(ModePalette.T(b, "name"), ModeWire.IsOpen(status) ? $"[red]{status}[/]" : $"[green]{status}[/]", ModePalette.T(b, "level"),
                    ModePalette.T(b, "retry_in_s"), ModePalette.T(b, "recent_failures"), ModePalette.T(b, "times_opened"), ModePalette.T(b, "last_cause"));
            }

            context.Console.Write(table);
        }, ct));
        breakers.Subcommands.Add(show);

        var reset = new Command("reset", "Close a breaker and forget its failures (after a repair)");
        var name = new Argument<string>("name") { Description = "Breaker name, e.g. broker_submit" };
        var reason = new Option<string>("--reason") { Description = "Why the dependency is trusted again (kept in the audit log)", Required = true };
        reset.Arguments.Add(name);
        reset.Options.Add(reason);
        reset.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.PostAsync("/api/breakers/reset", new { name = parsed.GetValue(name), reason = parsed.GetValue(reason), who = Environment.UserName }, t, parsed.GetValue(reason)),
            json => context.Console.MarkupLine($"Breaker [bold]{ModePalette.T(json, "name")}[/] is {ModePalette.T(json, "status")}"), ct));
        breakers.Subcommands.Add(reset);
        return breakers;
    }
}
