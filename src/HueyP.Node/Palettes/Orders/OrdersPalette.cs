using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HueyP.Domain.Orders;
using HueyP.Engine.Ledger;
using HueyP.Node.Cli;
using HueyP.Node.Palettes.Report;
using Spectre.Console;

namespace HueyP.Node.Palettes.Orders;

/// <summary>
/// `hueyp orders list --db FILE [--status S]`: every order as its journal makes it (folded with the domain's Apply);
/// `hueyp orders show ID | cancel ID | cancel-all | reconcile`: the same orders on a running node.
/// </summary>
public sealed class OrdersPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var orders = new Command("orders", "Orders: list from a journal file; show, cancel, cancel-all, reconcile on a running node");
        AddNodeCommands(context, orders);
        var list = new Command("list", "Every order with status, fills and last reason");
        var db = JournalFiles.DbOption();
        var status = new Option<string?>("--status") { Description = "Only orders in this status, e.g. FILLED, REJECTED, DENIED, SUBMITTED" };
        list.Options.Add(db);
        list.Options.Add(status);
        list.SetAction(async (parsed, ct) =>
        {
            await using var store = JournalFiles.OpenSqlite(parsed.GetValue(db)!);
            var rebuilt = await JournalAnalysis.RebuildAsync(store, ct: ct);
            var wanted = parsed.GetValue(status)?.ToUpperInvariant();
            var rows = rebuilt.Book.Orders.Values.Where(o => wanted is null || o.Status.ToDisplay() == wanted).ToList();
            if (context.WantsJson(parsed))
            {
                var array = new JsonArray();
                foreach (var o in rows)
                {
                    array.Add(new JsonObject
                    {
                        ["client_order_id"] = o.ClientOrderId, ["symbol"] = o.Symbol, ["side"] = o.Side.ToString(), ["quantity"] = o.Quantity,
                        ["status"] = o.Status.ToDisplay(), ["filled"] = o.FilledQuantity, ["average_price"] = o.AverageFillPrice,
                        ["stop_loss"] = o.StopLoss, ["take_profit"] = o.TakeProfit, ["broker_order_id"] = o.BrokerOrderId,
                        ["outcome_unknown"] = o.OutcomeUnknown, ["reason"] = o.LastReason,
                    });
                }
                context.Output.WriteLine(array.ToJsonString());
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("client order id", "side", "qty", "status", "filled", "avg price", "SL", "TP", "reason");
            foreach (var o in rows)
            {
                table.AddRow(Markup.Escape(o.ClientOrderId), o.Side.ToString(), o.Quantity.ToString(CultureInfo.InvariantCulture), o.Status.ToDisplay(),
                    o.FilledQuantity.ToString(CultureInfo.InvariantCulture), o.AverageFillPrice.ToString("0.#####", CultureInfo.InvariantCulture),
                    o.StopLoss.ToString(CultureInfo.InvariantCulture), o.TakeProfit.ToString(CultureInfo.InvariantCulture), Markup.Escape(o.LastReason ?? ""));
            }
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"{rows.Count} order(s); orders sha256 {rebuilt.OrdersHash}");
            return ExitCodes.Ok;
        });
        orders.Subcommands.Add(list);
        return orders;
    }

    /// <summary>Optional for a cancel: kept in the node's audit log next to who canceled.</summary>
    private static Option<string?> ReasonOption() => new("--reason") { Description = "Why (kept in the audit log)" };

    private static void AddNodeCommands(CliContext context, Command orders)
    {
        var show = new Command("show", "One order on the running node: state, every event, fills");
        var showId = new Argument<string>("id") { Description = "Client order id, e.g. EMACROSSOVERRSI-EURUSD-20250401T1030-0001" };
        show.Arguments.Add(showId);
        show.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.GetAsync($"/api/orders/{Uri.EscapeDataString(parsed.GetValue(showId)!)}", t),
            json => RenderOrder(context, json), ct));
        orders.Subcommands.Add(show);

        var cancel = new Command("cancel", "Ask the broker to cancel one working order (the outcome arrives as a report; see orders show)");
        var cancelId = new Argument<string>("id") { Description = "Client order id" };
        cancel.Arguments.Add(cancelId);
        var cancelReason = ReasonOption();
        cancel.Options.Add(cancelReason);
        cancel.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed,
            (c, t) => c.PostAsync($"/api/orders/{Uri.EscapeDataString(parsed.GetValue(cancelId)!)}/cancel", new { }, t, parsed.GetValue(cancelReason)),
            json => context.Console.MarkupLineInterpolated($"Cancel requested for {S(json, "client_order_id")}"), ct));
        orders.Subcommands.Add(cancel);

        var cancelAll = new Command("cancel-all", "Ask the broker to cancel every working order");
        var cancelAllReason = ReasonOption();
        cancelAll.Options.Add(cancelAllReason);
        cancelAll.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed, (c, t) => c.PostAsync("/api/orders/cancel-all", new { }, t, parsed.GetValue(cancelAllReason)),
            json => RenderCancelAll(context, json), ct));
        orders.Subcommands.Add(cancelAll);

        var reconcile = new Command("reconcile", "Compare the journal with the broker now, journal what the broker did that we missed and send again recent orders it never received (the start-up run with --last)");
        var last = new Option<bool>("--last") { Description = "Show the last reconciliation (e.g. the start-up one) instead of running one" };
        reconcile.Options.Add(last);
        reconcile.SetAction((parsed, ct) => NodeCall.RunAsync(context, parsed,
            (c, t) => parsed.GetValue(last) ? c.GetAsync("/api/orders/reconcile", t) : c.PostAsync("/api/orders/reconcile", new { }, t),
            json =>
            {
                // A node older than the resend has no "resent": nothing was sent again.
                var resent = json.TryGetProperty("resent", out var r) ? r.EnumerateArray().Select(e => e.GetString()).ToList() : [];
                context.Console.MarkupLineInterpolated($"{S(json, "trigger")} reconciliation at {S(json, "ran_at")}: {S(json, "order_events")} order event(s), {S(json, "ledger_events")} ledger event(s) journaled, {resent.Count} order(s) the broker never received sent again{(resent.Count > 0 ? ": " + string.Join(", ", resent) : "")}");
                context.Output.Write(json.GetProperty("text").GetString());
            }, ct));
        orders.Subcommands.Add(reconcile);
    }

    internal static void RenderCancelAll(CliContext context, JsonElement json)
    {
        var requested = json.GetProperty("requested").EnumerateArray().Select(e => e.GetString()).ToList();
        context.Console.MarkupLineInterpolated($"Cancel requested for {requested.Count} order(s){(requested.Count > 0 ? ": " + string.Join(", ", requested) : "")}");
        foreach (var failed in json.GetProperty("failed").EnumerateObject())
            context.Console.MarkupLineInterpolated($"[yellow]not canceled[/] {failed.Name}: {failed.Value.GetString()}");
    }

    private static void RenderOrder(CliContext context, JsonElement o)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"order {Markup.Escape(S(o, "client_order_id"))}").AddColumn("field").AddColumn("value");
        foreach (var field in new[] { "status", "symbol", "side", "type", "quantity", "filled", "remaining", "average_price", "fees", "stop_loss", "take_profit", "broker_order_id", "outcome_unknown", "reason", "decision_time", "submitted_at", "first_fill_at" })
            table.AddRow(field, Markup.Escape(S(o, field)));
        context.Console.Write(table);
        var events = new Table().Border(TableBorder.Rounded).Title("events").AddColumns("time", "event");
        foreach (var e in o.GetProperty("events").EnumerateArray()) events.AddRow(Markup.Escape(S(e, "time")), Markup.Escape(S(e, "type")));
        context.Console.Write(events);
        var fills = new Table().Border(TableBorder.Rounded).Title("fills").AddColumns("fill id", "qty", "price", "fee", "time");
        foreach (var f in o.GetProperty("fills").EnumerateArray())
            fills.AddRow(Markup.Escape(S(f, "fill_id")), S(f, "quantity"), S(f, "price"), S(f, "fee"), Markup.Escape(S(f, "time")));
        context.Console.Write(fills);
    }

    internal static string S(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) ? "" : value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "",
            _ => value.GetRawText(),
        };
}
