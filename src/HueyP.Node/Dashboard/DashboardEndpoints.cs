using System.Text.Json;
using HueyP.Domain.Orders;
using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using HueyP.Node.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Dashboard;

/// <summary>
/// /api/dashboard/*: the telemetry snapshot (once, or live over Server-Sent Events), the order blotter, and the guarded
/// controls. Read-only except the controls, which need a confirmation and a reason and land in the audit log.
/// </summary>
public sealed class DashboardEndpoints : IAdminEndpoints
{
    /// <summary>A frame at least this often even when nothing changed, so the page can tell "quiet" from "disconnected".</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/dashboard/state", () => Results.Json(Frame(node, node.Module<TelemetryModule>()?.Hub?.Latest), AdminWire.Options));

        api.MapGet("/dashboard/stream", async (HttpContext context) =>
        {
            var ct = context.RequestAborted;
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            long version = -1;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var hub = node.Module<TelemetryModule>()?.Hub;
                    TelemetrySnapshot? snapshot = null;
                    if (hub is null) await Task.Delay(Heartbeat, ct);
                    else snapshot = await hub.NextAsync(version, Heartbeat, ct);
                    version = snapshot?.Version ?? version;
                    var json = JsonSerializer.Serialize(Frame(node, snapshot), AdminWire.Options);
                    await context.Response.WriteAsync($"event: snapshot\ndata: {json}\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away.
            }
        });

        api.MapGet("/dashboard/orders", (string? filter, int? limit) =>
        {
            var book = node.Module<TelemetryModule>()?.Hub?.Book;
            if (book is null) return Results.Json(new { available = false, total = 0, orders = Array.Empty<object>() }, AdminWire.Options);
            var rows = book.Orders.Values.Where(o => Matches(o, filter))
                .OrderByDescending(o => o.DecisionTimeUtc).ThenBy(o => o.ClientOrderId, StringComparer.Ordinal)
                .Take(Math.Clamp(limit ?? 50_000, 1, 200_000))
                .Select(o => new BlotterRow(o.ClientOrderId, o.Symbol, o.Side.ToString().ToUpperInvariant(), o.Type.ToString().ToUpperInvariant(),
                    (double)o.Quantity, (double)o.FilledQuantity, o.FilledQuantity > 0 ? (double)o.AverageFillPrice : null, o.Status.ToDisplay(),
                    o.DecisionTimeUtc, o.LastReason))
                .ToList();
            return Results.Json(new { available = true, total = book.Orders.Count, orders = rows }, AdminWire.Options);
        });

        api.MapPost("/dashboard/control", (ControlRequest request, CancellationToken ct) => DashboardControls.RunAsync(node, request, ct));
    }

    private static bool Matches(OrderState o, string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return true;
        return filter.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(term =>
            o.ClientOrderId.Contains(term, StringComparison.OrdinalIgnoreCase) || o.Symbol.Contains(term, StringComparison.OrdinalIgnoreCase)
            || o.Status.ToString().Contains(term, StringComparison.OrdinalIgnoreCase) || o.Side.ToString().Contains(term, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What the page receives: the snapshot plus what telemetry does not own (node identity, which controls exist).</summary>
    private static DashboardFrame Frame(NodeRuntime node, TelemetrySnapshot? snapshot) => new(
        node.Settings.Node.Name, node.Settings.Node.Role, node.Settings.Node.Mode, node.Clock.GetUtcNow(), snapshot is not null,
        snapshot, DashboardControls.Available(node));

    public sealed record ControlRequest(string? Action, string? Reason, bool Confirm, string? Transport);

    public sealed record BlotterRow(string Id, string Symbol, string Side, string Type, double Quantity, double Filled, double? AvgPrice, string Status,
        DateTime DecisionTimeUtc, string? Reason);

    public sealed record DashboardFrame(string Node, string Role, string NodeMode, DateTimeOffset ServerTime, bool Telemetry, TelemetrySnapshot? Snapshot,
        IReadOnlyDictionary<string, ControlAvailability> Controls);
}

/// <summary>Whether a control can be used on this node, and why not when it cannot.</summary>
public sealed record ControlAvailability(bool Available, string? Why);
