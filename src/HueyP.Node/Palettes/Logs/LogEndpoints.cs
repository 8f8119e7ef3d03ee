using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Logs;

public sealed class LogEndpoints : IAdminEndpoints
{
    public void Map(IEndpointRouteBuilder api, NodeRuntime node) =>
        api.MapGet("/logs/tail", (int? n, string? level, DateTimeOffset? after) =>
            Results.Json(LogTail.Read(node.Settings.Logging.FilePath, Math.Clamp(n ?? 50, 1, 10_000), LogTail.Level(level ?? "Information"), after)));
}
