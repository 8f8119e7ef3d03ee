using HueyP.Engine.Ledger;
using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.State;

/// <summary>
/// GET /api/state/rebuild: the node folds its whole journal into fresh order and ledger state and puts that hash
/// next to the hash of the state its actors hold right now. On a node that is trading, an order may land between the
/// two reads; run it again (or with the kill switch on) before calling a difference real.
/// </summary>
public sealed class StateEndpoints : IAdminEndpoints
{
    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/state/rebuild", async (CancellationToken ct) =>
        {
            if (node.Journal is not { } journal || node.Engine?.OrderSide is not { } orderSide)
                return Results.Json(new { error = "this node runs no order side: nothing to rebuild" }, statusCode: StatusCodes.Status503ServiceUnavailable);

            var held = await orderSide.SummarizeAsync(ct);
            var rebuilt = await JournalAnalysis.RebuildAsync(journal, orderSide.Settings.Ledger, ct);
            return Results.Json(StateRebuildWire.Of(rebuilt, held.LedgerHash, held.OrdersHash, held.StateHash));
        });
    }
}
