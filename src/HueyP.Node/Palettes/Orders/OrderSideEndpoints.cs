using System.Text.Json;
using System.Text.Json.Nodes;
using HueyP.Domain.Orders;
using HueyP.Domain.Reconciliation;
using HueyP.Engine.Orders;
using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using HueyP.Node.Palettes.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Orders;

/// <summary>
/// Routes of `hueyp orders show|cancel|cancel-all|reconcile`, `hueyp ledger positions|pnl|nav` and
/// `hueyp kill-switch` against a running node. Each call is one message to the order side's actors (intake, order
/// entity, broker, ledger) with its reply; POSTs land in the audit log (AdminServer's guard).
/// </summary>
public sealed class OrderSideEndpoints : IAdminEndpoints
{
    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/orders/{id}", (string id, CancellationToken ct) => With(node, async side =>
        {
            if (Invalid(id) is { } bad) return bad;
            var details = await side.OrderAsync(id, ct);
            return details is null ? Unknown(id) : Results.Json(OrderWire.Of(details));
        }));

        api.MapPost("/orders/{id}/cancel", (string id, CancellationToken ct) => With(node, async side =>
        {
            if (Invalid(id) is { } bad) return bad;
            var result = await side.CancelAsync(id, node.Clock.GetUtcNow().UtcDateTime, ct);
            if (result.Requested) return Results.Json(new JsonObject { ["client_order_id"] = id, ["requested"] = true });
            return result.Error?.Contains("unknown", StringComparison.Ordinal) == true
                ? Unknown(id)
                : Results.Conflict(new { error = $"order {id} cannot be canceled: {result.Error}" });
        }));

        api.MapPost("/orders/cancel-all", (CancellationToken ct) => With(node, async side =>
            Results.Json(CancelAllJson(await side.CancelAllAsync(node.Clock.GetUtcNow().UtcDateTime, ct)))));

        api.MapPost("/orders/reconcile", (CancellationToken ct) => With(node, async side =>
            Results.Json(ReconcileJson(await side.ReconcileAsync("operator", node.Clock.GetUtcNow().UtcDateTime, ct)))));

        api.MapGet("/orders/reconcile", () => With(node, side => Task.FromResult(side.LastReconciliation is { } run
            ? Results.Json(ReconcileJson(run))
            : Results.NotFound(new { error = "no reconciliation has run on this node yet (POST /api/orders/reconcile runs one)" }))));

        api.MapGet("/ledger", (CancellationToken ct) => With(node, async side =>
        {
            var view = await side.LedgerAsync(ct);
            var json = LedgerWire.Of(view.State, view.Hash, "node");
            json["sequence_nr"] = view.SequenceNr;
            json["fills"] = view.Fills;
            return Results.Json(json);
        }));

        api.MapGet("/kill-switch", (CancellationToken ct) => With(node, async side => Results.Json(KillSwitchJson(await side.KillSwitchAsync(ct), null))));

        api.MapPost("/kill-switch", (KillSwitchRequest request, CancellationToken ct) => With(node, async side =>
        {
            if (request.Active is not { } active) return Results.BadRequest(new { error = "say whether the kill switch goes on or off (active: true|false)" });
            if (string.IsNullOrWhiteSpace(request.Reason)) return Results.BadRequest(new { error = "a reason is required (--reason)" });
            var who = string.IsNullOrWhiteSpace(request.Who) ? "admin-api" : request.Who;
            var (status, canceled) = await side.SetKillSwitchAsync(active, request.CancelAll, request.Reason, who, node.Clock.GetUtcNow().UtcDateTime, ct);
            return Results.Json(KillSwitchJson(status, canceled));
        }));
    }

    public sealed record KillSwitchRequest(bool? Active, string? Reason, bool CancelAll, string? Who);

    /// <summary>A clear 503 when the node runs no order side; ask timeouts become 504 with what was asked.</summary>
    private static async Task<IResult> With(NodeRuntime node, Func<OrderSide, Task<IResult>> call)
    {
        if (node.Engine?.OrderSide is not { } side)
        {
            return Results.Json(new { error = "this node runs no order side (the engine was started without orders)" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        try
        {
            return await call(side);
        }
        catch (InvalidOperationException e)
        {
            return Results.Conflict(new { error = e.Message });
        }
        catch (HueyP.Actors.AskTimeoutException e)
        {
            return Results.Json(new { error = $"the order side did not answer in time: {e.Message}" }, statusCode: StatusCodes.Status504GatewayTimeout);
        }
    }

    private static IResult? Invalid(string id) => ClientOrderId.TryParse(id, out _)
        ? null
        : Results.BadRequest(new { error = $"'{id}' is not a client order id (STRATEGY-SYMBOL-yyyyMMddTHHmm-NNNN, e.g. EMAX-EURUSD-20250401T1030-0003)" });

    private static IResult Unknown(string id) => Results.NotFound(new { error = $"no order {id} on this node" });

    internal static JsonObject CancelAllJson(CancelAllResult result)
    {
        var failed = new JsonObject();
        foreach (var (id, error) in result.Failed) failed[id] = error;
        return new JsonObject { ["requested"] = new JsonArray([.. result.Requested.Select(r => (JsonNode)r!)]), ["failed"] = failed };
    }

    internal static JsonObject KillSwitchJson(KillSwitchStatus status, CancelAllResult? canceled)
    {
        var json = new JsonObject
        {
            ["active"] = status.Active, ["cancel_all"] = status.CancelAll, ["reason"] = status.Reason, ["who"] = status.Who,
            ["changed_at"] = status.ChangedUtc,
        };
        if (canceled is not null) json["canceled"] = CancelAllJson(canceled);
        return json;
    }

    internal static JsonObject ReconcileJson(ReconciliationRun run)
    {
        var findings = new JsonArray();
        foreach (var f in run.Report.Findings)
        {
            findings.Add(new JsonObject
            {
                ["id"] = f.Id, ["kind"] = f.Kind.ToString(), ["subject"] = f.Subject, ["journal"] = f.Journal, ["broker"] = f.Broker, ["action"] = f.Action,
            });
        }

        return new JsonObject
        {
            ["trigger"] = run.Trigger, ["ran_at"] = run.RanAtUtc, ["broker_as_of"] = run.Report.AsOfUtc, ["clean"] = run.Report.IsClean,
            ["findings"] = findings, ["order_events"] = run.OrderEventsApplied, ["ledger_events"] = run.LedgerEventsApplied,
            ["pending_at_broker"] = new JsonArray([.. run.PendingAtBroker.Select(p => (JsonNode)p!)]),
            ["resent"] = new JsonArray([.. run.Resent.Select(p => (JsonNode)p!)]),
            ["text"] = run.Report.Render(),
        };
    }
}

/// <summary>The JSON of one order with its history and fills.</summary>
public static class OrderWire
{
    public static JsonObject Of(OrderDetails details)
    {
        var o = details.State;
        var events = new JsonArray();
        var fills = new JsonArray();
        foreach (var e in details.Events)
        {
            events.Add(new JsonObject
            {
                ["type"] = e.GetType().Name, ["time"] = e.TimeUtc,
                ["detail"] = JsonSerializer.SerializeToNode(e, e.GetType(), AdminWire.Options),
            });
            if (e is OrderFilled f && o.FillIds.Contains(f.FillId))
            {
                fills.Add(new JsonObject { ["fill_id"] = f.FillId, ["quantity"] = f.Quantity, ["price"] = f.Price, ["fee"] = f.Fee, ["time"] = f.TimeUtc });
            }
        }

        return new JsonObject
        {
            ["client_order_id"] = o.ClientOrderId, ["status"] = o.Status.ToDisplay(), ["strategy"] = o.Strategy, ["symbol"] = o.Symbol,
            ["side"] = o.Side.ToString(), ["type"] = o.Type.ToString(), ["quantity"] = o.Quantity, ["filled"] = o.FilledQuantity,
            ["remaining"] = o.RemainingQuantity, ["average_price"] = o.AverageFillPrice, ["fees"] = o.Fees, ["limit_price"] = o.LimitPrice,
            ["stop_loss"] = o.StopLoss, ["take_profit"] = o.TakeProfit, ["broker_order_id"] = o.BrokerOrderId,
            ["outcome_unknown"] = o.OutcomeUnknown, ["holds_symbol"] = o.HoldsSymbol, ["reason"] = o.LastReason,
            ["decision_time"] = o.DecisionTimeUtc, ["submitted_at"] = o.SubmittedAtUtc, ["first_fill_at"] = o.FirstFillAtUtc,
            ["sequence_nr"] = details.SequenceNr, ["events"] = events, ["fills"] = fills,
        };
    }
}
