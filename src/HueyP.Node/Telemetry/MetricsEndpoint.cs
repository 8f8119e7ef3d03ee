using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Telemetry;

/// <summary>GET /metrics: Prometheus text format, guarded by the admin token like the API (AdminServer's guard).</summary>
public static class MetricsEndpoint
{
    public static void Map(IEndpointRouteBuilder app, NodeRuntime node)
    {
        app.MapGet("/metrics", () =>
        {
            var text = node.Module<TelemetryModule>()?.Exporter?.Scrape() ?? "# telemetry is off on this node (hueyp.telemetry.enabled = off)\n";
            return Results.Text(text, PrometheusExporter.ContentType);
        });
    }
}
