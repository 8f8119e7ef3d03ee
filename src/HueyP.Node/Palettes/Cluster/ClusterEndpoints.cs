using HueyP.Actors;
using HueyP.Cluster.Lease;
using HueyP.Cluster.Member;
using HueyP.Node.Admin;
using HueyP.Node.Cluster;
using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Cluster;

/// <summary>`hueyp cluster show | leader | step-down` on a candidate node.</summary>
public sealed class ClusterEndpoints : IAdminEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/cluster", async () => Member(node) is { } member
            ? Results.Json(ClusterWire.Show(await member.Ask<ClusterStatus>(GetClusterStatus.Instance, AskTimeout), node.EngineLifecycle?.Accepting ?? false,
                node.Module<ClusterModule>()?.Projection?.View(), HueyP.Persistence.PersistentActors.Persistence.TryGet(node.System)?.SeedReports))
            : Standalone(node));
        api.MapGet("/cluster/leader", async () =>
        {
            if (Member(node) is not { } member) return Standalone(node);
            var status = await member.Ask<ClusterStatus>(GetClusterStatus.Instance, AskTimeout);
            return status.Lease is null
                ? Results.Json(new { error = status.Error }, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Json(ClusterWire.Leader(status));
        });
        api.MapGet("/cluster/drill-feed", () => Drill(node) is { } drill ? Results.Json(ClusterWire.DrillFeed(drill)) : NoDrillFeed(node));
        api.MapPost("/cluster/drill-feed", (DrillFeedRequest request) =>
        {
            if (Drill(node) is not { } drill) return NoDrillFeed(node);
            if (request.Paused is not { } paused) return Results.BadRequest(new { error = "say whether the drill feed pauses or resumes (paused: true|false)" });
            drill.Paused = paused;
            return Results.Json(ClusterWire.DrillFeed(drill));
        });
        api.MapPost("/cluster/step-down", async () =>
        {
            if (Member(node) is not { } member) return Standalone(node);
            var accepted = await member.Ask<StepDownAccepted>(StepDown.Instance, AskTimeout);
            return accepted.WasActive
                ? Results.Json(new { node = node.Settings.Node.Name, stepping_down_from_epoch = accepted.Epoch })
                : Results.Json(new { error = $"{node.Settings.Node.Name} is not the active node; nothing to hand over (see `hueyp cluster leader`)" },
                    statusCode: StatusCodes.Status409Conflict);
        });
    }

    public sealed record DrillFeedRequest(bool? Paused);

    private static DrillFeed? Drill(NodeRuntime node) => node.Module<ClusterModule>()?.Drill;

    private static IResult NoDrillFeed(NodeRuntime node) => Results.Json(
        new { error = $"{node.Settings.Node.Name} runs no drill feed (hueyp.cluster.drill-feed.file is empty, or the node is not a cluster candidate)" },
        statusCode: StatusCodes.Status404NotFound);

    private static IActorRef? Member(NodeRuntime node) => node.Module<ClusterModule>() is { } module && !module.Member.IsNobody() ? module.Member : null;

    private static IResult Standalone(NodeRuntime node) => Results.Json(
        new { error = $"{node.Settings.Node.Name} is not a cluster member (hueyp.node.role = {node.Settings.Node.Role}); set role = candidate and the PostgreSQL journal" },
        statusCode: StatusCodes.Status404NotFound);
}
