using HueyP.Actors;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using HueyP.Node.Admin;
using HueyP.Node.Bridge;
using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Transports;

/// <summary>Routes of `hueyp transports show | fail NAME`: the bridge's routes, their health, the outbox; chaos on demand.</summary>
public sealed class TransportsEndpoints : IAdminEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/transports", () => WithBridge(node, async bridge =>
        {
            var status = await bridge.Router.Ask<RouterStatus>(GetRouterStatus.Instance, AskTimeout);
            var inbound = await bridge.Inbound.Ask<BridgeInboundCounts>(GetBridgeInboundCounts.Instance, AskTimeout);
            return Results.Json(TransportsWire.Of(status, inbound, bridge.Endpoints, node.Clock.GetUtcNow()) with { Role = bridge.Role.Current.Describe() });
        }));

        MapForce(api, node);
        api.MapPost("/transports/fail", (FailRequest request) =>
        {
            if (!TransportsWire.TryParseKind(request.Name, out var kind))
                return Task.FromResult(Results.BadRequest(new { error = $"unknown transport '{request.Name}': socket, pipe or spool" }));
            if (!Enum.TryParse<TransportFault>(request.Mode ?? "close", ignoreCase: true, out var fault) || !Enum.IsDefined(fault))
                return Task.FromResult(Results.BadRequest(new { error = $"unknown failure mode '{request.Mode}': close, stall or corrupt" }));
            return WithBridge(node, async bridge =>
            {
                var reason = string.IsNullOrWhiteSpace(request.Reason) ? $"chaos by {request.Who ?? "admin-api"}" : request.Reason;
                var result = await bridge.Router.Ask<FailTransportResult>(new FailTransport(kind, fault, reason), AskTimeout);
                return result.Accepted
                    ? Results.Json(new { accepted = true, transport = TransportsWire.Name(kind), mode = fault.ToString().ToLowerInvariant(), detail = result.Detail })
                    : Results.Conflict(new { error = result.Detail });
            });
        });
    }

    private static void MapForce(IEndpointRouteBuilder api, NodeRuntime node) =>
        api.MapPost("/transports/force", (ForceRequest request) => ForceAsync(node, request.Name, request.Reason));

    /// <summary>Pins bridge traffic to a transport (socket, pipe, spool) or returns it to the router's choice (auto).</summary>
    public static Task<IResult> ForceAsync(NodeRuntime node, string? name, string? reason)
    {
        TransportKind? kind = null;
        if (!string.Equals(name, "auto", StringComparison.OrdinalIgnoreCase))
        {
            if (!TransportsWire.TryParseKind(name, out var named))
                return Task.FromResult(Results.BadRequest(new { error = $"unknown transport '{name}': socket, pipe, spool or auto" }));
            kind = named;
        }
        if (string.IsNullOrWhiteSpace(reason))
            return Task.FromResult(Results.BadRequest(new { error = "a reason is required: forcing a transport overrides the failover router (--reason TEXT)" }));
        return WithBridge(node, async bridge =>
        {
            var result = await bridge.Router.Ask<ForceTransportResult>(new ForceTransport(kind, reason), AskTimeout);
            return result.Accepted
                ? Results.Json(new { accepted = true, forced = kind is { } k ? TransportsWire.Name(k) : null, detail = result.Detail })
                : Results.Conflict(new { error = result.Detail });
        });
    }

    private static async Task<IResult> WithBridge(NodeRuntime node, Func<BridgeModule, Task<IResult>> call) =>
        node.Module<BridgeModule>() is { } bridge
            ? await call(bridge)
            : Results.Json(new { error = "the bridge is not running on this node (hueyp.bridge.enabled = off)" }, statusCode: StatusCodes.Status503ServiceUnavailable);

    public sealed record FailRequest(string? Name, string? Mode, string? Reason, string? Who);

    /// <summary>POST /api/transports/force: name = socket | pipe | spool | auto; reason required.</summary>
    public sealed record ForceRequest(string? Name, string? Reason, string? Who);
}

/// <summary>The admin JSON of `hueyp transports show` (snake_case on the wire), durations in milliseconds or seconds as named.</summary>
public static class TransportsWire
{
    public sealed record Transport(
        string Name, bool Up, bool Verified, bool Active, string? Endpoint, string? Peer, double? LatencyMs,
        long Sent, long Received, long Drops, int Failures, string? LastError);

    public sealed record OutboxView(int Depth, DateTimeOffset? OldestAt, double? OldestAgeS);

    public sealed record Status(string? Route, IReadOnlyList<Transport> Transports, OutboxView Outbox, BridgeInboundCounts Inbound, DateTimeOffset AsOf)
    {
        /// <summary>The transport an operator pinned traffic to (null: automatic), and why.</summary>
        public string? Forced { get; init; }

        public string? ForcedReason { get; init; }

        /// <summary>"active", or "standby; the active node is ..." on a cluster standby (its bridge refuses trading traffic).</summary>
        public string Role { get; init; } = "active";
    }

    public static string Name(TransportKind kind) => RouterActor.ChildName(kind);

    public static bool TryParseKind(string? name, out TransportKind kind)
    {
        kind = default;
        return name is not null && Enum.TryParse(name, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _);
    }

    public static Status Of(RouterStatus s, BridgeInboundCounts inbound, IReadOnlyDictionary<TransportKind, string> endpoints, DateTimeOffset now) => new(
        s.Current is { } current ? Name(current) : null,
        s.Transports.Select(t => new Transport(Name(t.Kind), t.IsUp, t.Verified, t.Kind == s.Current, endpoints.GetValueOrDefault(t.Kind) ?? (t.Kind == TransportKind.Spool ? t.Peer : null), t.Peer,
            t.Latency?.TotalMilliseconds, t.Sent, t.Received, t.Drops, t.Failures, t.LastError)).ToList(),
        new OutboxView(s.PendingOutbox, s.OldestPendingAt, s.OldestPendingAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : null),
        inbound,
        now)
    {
        Forced = s.Forced is { } forced ? Name(forced) : null,
        ForcedReason = s.ForcedReason,
    };
}
