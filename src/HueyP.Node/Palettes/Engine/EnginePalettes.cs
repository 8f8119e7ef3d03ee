using System.CommandLine;
using System.Text.Json;
using HueyP.Node.Cli;
using Spectre.Console;

namespace HueyP.Node.Palettes.Engine;

/// <summary>`hueyp symbols show [SYMBOL]`: state, counts and indicators per symbol.</summary>
public sealed class SymbolsPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var symbols = new Command("symbols", "The symbols the engine trades");
        var show = new Command("show", "State, quotes, signals, intents, restarts, indicator values and how it was warmed at start, per symbol");
        var symbol = new Argument<string?>("symbol") { Description = "One symbol, e.g. EURUSD (default: all)", Arity = ArgumentArity.ZeroOrOne };
        show.Arguments.Add(symbol);
        show.SetAction((parsed, ct) => NodeCall.RunAsync(
            context, parsed,
            (c, t) => c.GetAsync(parsed.GetValue(symbol) is { } s ? $"/api/symbols?symbol={Uri.EscapeDataString(s)}" : "/api/symbols", t),
            json =>
            {
                var table = new Table().AddColumns("symbol", "state", "quotes", "signals", "intents", "restarts", "last quote");
                var warmStarts = new List<(string Symbol, string WarmStart)>();
                foreach (var s in json.EnumerateArray())
                {
                    table.AddRow(Text(s, "symbol"), Text(s, "state"), Text(s, "quotes"), Text(s, "signals"), Text(s, "intents"), Text(s, "restarts"), Text(s, "last_quote_utc"));
                    // Below the table, one line each: a summary names a source, a bar count and two times, too wide for a column.
                    warmStarts.Add((Text(s, "symbol"), s.TryGetProperty("warm_start", out var w) && w.ValueKind == JsonValueKind.Object ? Text(w, "summary") : "waiting for the first quote"));
                }

                context.Console.Write(table);
                foreach (var (symbol, warmStart) in warmStarts)
                {
                    context.Console.MarkupLine($"{symbol} warm start: {warmStart}");
                }
            }, ct));
        symbols.Subcommands.Add(show);
        return symbols;
    }

    internal static string Text(JsonElement element, string property) =>
        Markup.Escape(element.TryGetProperty(property, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText() : "");
}

/// <summary>`hueyp gates show`: the constraint repository the quality gates evaluate.</summary>
public sealed class GatesPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var gates = new Command("gates", "The quality gates and their constraints");
        var show = new Command("show", "Every constraint: id, type, severity, condition");
        show.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync("/api/gates", t), json =>
        {
            var table = new Table().Title(SymbolsPalette.Text(json, "source")).AddColumns("id", "type", "severity", "condition");
            foreach (var constraint in json.GetProperty("constraints").EnumerateArray())
            {
                table.AddRow(SymbolsPalette.Text(constraint, "id"), SymbolsPalette.Text(constraint, "type"), SymbolsPalette.Text(constraint, "severity"), SymbolsPalette.Text(constraint, "condition"));
            }

            context.Console.Write(table);
        }, ct));
        gates.Subcommands.Add(show);
        return gates;
    }
}

/// <summary>`hueyp decisions tail [-n N]`: the newest decision records with their outcome.</summary>
public sealed class DecisionsPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var decisions = new Command("decisions", "The decision records");
        var tail = new Command("tail", "The newest decision records and the recorder's counts and hash");
        var count = new Option<int>("-n") { Description = "How many records", DefaultValueFactory = _ => 20 };
        tail.Options.Add(count);
        tail.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync($"/api/decisions/tail?n={parsed.GetValue(count)}", t), json =>
        {
            var stats = json.GetProperty("stats");
            context.Console.MarkupLineInterpolated($"signals {SymbolsPalette.Text(stats, "signals")}, intents {SymbolsPalette.Text(stats, "intents")}, hash {SymbolsPalette.Text(stats, "hash")}");
            foreach (var record in json.GetProperty("records").EnumerateArray())
            {
                context.Console.WriteLine(record.GetRawText());
            }
        }, ct));
        decisions.Subcommands.Add(tail);
        return decisions;
    }
}
