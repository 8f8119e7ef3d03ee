using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Telemetry;

/// <summary>GET /metrics: Prometheus text format, guarded by the admin token like the API (AdminServer's guard).</summary>
public static class MetricsEndpoint
{
    /// <summary>Metrics the issue asks for whose source this node does not have yet; listed in the output so nobody looks for them in vain.</summary>
    public static readonly IReadOnlyList<string> NotYetMeasured =
    [
        "hueyp_journal_write_seconds (journal write latency histogram: the journal has no instrument yet)",
        "hueyp_journal_batch_size (the journal has no instrument yet)",
    ];

    public static void Map(IEndpointRouteBuilder app, NodeRuntime node)
    {
        app.MapGet("/metrics", () =>
        {
            var text = node.Module<TelemetryModule>()?.Exporter?.Scrape() ?? "# telemetry is off on this node (hueyp.telemetry.enabled = off)\n";
            text += string.Concat(NotYetMeasured.Select(m => $"# not measured yet: {m}\n"));
            return Results.Text(text, PrometheusExporter.ContentType);
        });
    }
}
