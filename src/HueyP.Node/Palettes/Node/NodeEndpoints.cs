using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using HueyP.Node.Palettes.Actors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Node;

public sealed class NodeEndpoints : IAdminEndpoints
{
    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/node/status", () =>
        {
            var now = node.Clock.GetUtcNow();
            return Results.Json(new
            {
                node = node.Settings.Node.Name,
                role = node.Settings.Node.Role,
                mode = node.Settings.Node.Mode,
                started_at = node.StartedAt.UtcDateTime,
                uptime_s = Math.Round((now - node.StartedAt).TotalSeconds, 1),
                actors = node.System.Diagnostics.Snapshot("/", int.MaxValue) is { } root ? ActorTreeJson.From(root).Count() : 0,
                dead_letters = node.System.Diagnostics.DeadLetterCount,
                database = node.Settings.Persistence.Provider,
            });
        });
        api.MapGet("/node/manifest", () => Results.Text(node.Manifest.ToJson(), "application/json"));
        api.MapGet("/config", () => Results.Text(node.ConfigJson, "application/json"));
        api.MapPost("/node/shutdown", (ShutdownRequest? request) =>
        {
            var reason = string.IsNullOrWhiteSpace(request?.Reason) ? "operator request" : request.Reason;
            node.RequestShutdown(reason);
            return Results.Json(new { reason });
        });
    }

    public sealed record ShutdownRequest(string? Reason);
}
