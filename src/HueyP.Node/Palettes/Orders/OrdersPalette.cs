using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using HueyP.Domain.Orders;
using HueyP.Engine.Ledger;
using HueyP.Node.Cli;
using HueyP.Node.Palettes.Report;
using Spectre.Console;

namespace HueyP.Node.Palettes.Orders;

/// <summary>`hueyp orders list --db FILE [--status S]`: every order as its journal makes it (folded with the domain's Apply).</summary>
public sealed class OrdersPalette : ICommandPalette
{
    public Command Build(CliContext context)
    {
        var orders = new Command("orders", "Orders from the journal (no node needed)");
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
}
