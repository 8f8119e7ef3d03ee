using HueyP.Actors;
using HueyP.Node.Hosting;
using HueyP.Node.Telemetry;
using Microsoft.AspNetCore.Http;

namespace HueyP.Node.Dashboard;

/// <summary>
/// The guarded controls. Each needs confirm = true and a reason; each use (done or refused) is in the audit log (the
/// admin guard records every POST) and in the telemetry timeline. Controls whose subsystem this node does not run
/// answer 501 naming what is missing, and the page shows them disabled with that text.
/// </summary>
public static class DashboardControls
{
    public const string KillSwitchOn = "kill_switch_on";
    public const string KillSwitchOff = "kill_switch_off";
    public const string HoldEntries = "hold_entries";
    public const string ReleaseEntries = "release_entries";
    public const string ForceTransport = "force_transport";
    public const string StepDown = "step_down";

    public static IReadOnlyDictionary<string, ControlAvailability> Available(NodeRuntime node)
    {
        var live = node.Engine is { } running && running.Settings.Mode == HueyP.Engine.EngineMode.Live;
        // A replay's results must depend on its data alone: its order side takes no operator action (as the CLI's 409).
        var orders = node.Engine?.OrderSide is null
            ? new ControlAvailability(false, "this node runs no order side")
            : live ? new ControlAvailability(true, null) : new ControlAvailability(false, "a replay takes no operator actions: its results depend on its data alone");
        return new Dictionary<string, ControlAvailability>(StringComparer.Ordinal)
        {
            ["kill_switch"] = orders,
            [HoldEntries] = live
                ? new ControlAvailability(true, null)
                : new ControlAvailability(false, node.Engine is null ? "no engine runs on this node now" : "a replay engine has no mode ladder to hold"),
            [ForceTransport] = node.Module<HueyP.Node.Bridge.BridgeModule>() is not null
                ? new ControlAvailability(true, null)
                : new ControlAvailability(false, "this node runs no bridge (hueyp.bridge.enabled = off)"),
            [StepDown] = node.Module<HueyP.Node.Cluster.ClusterModule>() is not null
                ? new ControlAvailability(true, null)
                : new ControlAvailability(false, "this node runs no cluster module (hueyp.cluster.enabled = off)"),
        };
    }

    public static async Task<IResult> RunAsync(NodeRuntime node, DashboardEndpoints.ControlRequest request, CancellationToken ct)
    {
        if (!request.Confirm) return Results.BadRequest(new { error = "not confirmed: every control needs confirm = true" });
        if (string.IsNullOrWhiteSpace(request.Reason)) return Results.BadRequest(new { error = "a reason is required" });
        var telemetry = node.Module<TelemetryModule>();
        var reason = request.Reason.Trim();
        switch (request.Action)
        {
            case KillSwitchOn or KillSwitchOff:
            {
                if (node.Engine?.OrderSide is not { } side || !Available(node)["kill_switch"].Available)
                    return Results.Json(new { error = $"there is no kill switch to move: {Available(node)["kill_switch"].Why}" }, statusCode: StatusCodes.Status501NotImplemented);
                var active = request.Action == KillSwitchOn;
                var (status, _) = await side.SetKillSwitchAsync(active, cancelAll: false, reason, "dashboard", node.Clock.GetUtcNow().UtcDateTime, ct);
                telemetry?.Record(new RecordOperatorAction($"kill switch {(status.Active ? "ON" : "off")} from the dashboard", reason, status.Active ? "critical" : "info"));
                return Results.Json(new { action = request.Action, kill_switch = new { status.Active, status.Reason, status.Who, status.ChangedUtc } });
            }

            case HoldEntries or ReleaseEntries when Available(node)[HoldEntries].Available:
            {
                var on = request.Action == HoldEntries;
                var result = await HueyP.Node.Palettes.Modes.ModeEndpoints.HoldAsync(node, on, reason, "dashboard");
                var done = result is IStatusCodeHttpResult { StatusCode: null or (>= 200 and < 300) };
                // The mode actor publishes the hold itself (timeline: entry_hold); a refusal is recorded here.
                if (!done) telemetry?.Record(new RecordOperatorAction($"{request.Action} refused by the mode ladder", reason, "warning"));
                return result;
            }

            case ForceTransport when Available(node)[ForceTransport].Available:
            {
                var result = await HueyP.Node.Palettes.Transports.TransportsEndpoints.ForceAsync(node, request.Transport, reason);
                var done = result is IStatusCodeHttpResult { StatusCode: null or (>= 200 and < 300) };
                telemetry?.Record(new RecordOperatorAction(done ? $"transport forced to {request.Transport} from the dashboard" : $"force transport {request.Transport} refused", reason, "warning"));
                return result;
            }

            case StepDown when node.Module<HueyP.Node.Cluster.ClusterModule>() is { } cluster:
            {
                var accepted = await cluster.Member.Ask<HueyP.Cluster.Member.StepDownAccepted>(HueyP.Cluster.Lease.StepDown.Instance, TimeSpan.FromSeconds(10), ct);
                telemetry?.Record(new RecordOperatorAction(accepted.WasActive ? $"stepped down from epoch {accepted.Epoch}" : "step down asked while not active", reason, "warning"));
                return Results.Json(new { action = request.Action, was_active = accepted.WasActive, epoch = accepted.Epoch });
            }

            case HoldEntries or ReleaseEntries or ForceTransport or StepDown:
            {
                var why = Available(node)[request.Action == ReleaseEntries ? HoldEntries : request.Action].Why;
                telemetry?.Record(new RecordOperatorAction($"{request.Action} refused: {why}", reason, "warning"));
                return Results.Json(new { error = $"{request.Action} is not available on this node: {why}" }, statusCode: StatusCodes.Status501NotImplemented);
            }

            default:
                return Results.BadRequest(new { error = $"unknown action '{request.Action}'; use one of {KillSwitchOn}, {KillSwitchOff}, {HoldEntries}, {ReleaseEntries}, {ForceTransport}, {StepDown}" });
        }
    }
}
