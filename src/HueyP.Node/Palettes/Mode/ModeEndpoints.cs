using HueyP.Actors;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Modes;
using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Modes;

/// <summary>
/// Routes of `hueyp mode ...` and `hueyp breakers ...`. The actors are found by path (/user/engine/mode,
/// /user/engine/breakers): the engine owns them, the admin API only asks.
/// </summary>
public sealed class ModeEndpoints : IAdminEndpoints
{
    public const string ModePath = "/user/engine/" + ModeActor.ActorName;
    public const string BreakersPath = "/user/engine/" + BreakersActor.ActorName;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/mode", () => WithActor(node, ModePath, async actor =>
            Results.Json(ModeWire.Of(await actor.Ask<ModeStatus>(GetMode.Instance, AskTimeout)))));

        api.MapGet("/mode/history", (int? n) => WithActor(node, ModePath, async actor =>
        {
            var history = await actor.Ask<ModeHistory>(new GetModeHistory(n is > 0 ? n : null), AskTimeout);
            return Results.Json(new ModeWire.History(history.Transitions.Select(ModeWire.Of).ToList()));
        }));

        api.MapPost("/mode/clear", (ClearRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Reason)) return Task.FromResult(Results.BadRequest(new { error = "a reason is required (--reason)" }));
            return WithActor(node, ModePath, async actor =>
            {
                var who = string.IsNullOrWhiteSpace(request.Who) ? "admin-api" : request.Who;
                var result = await actor.Ask<ModeCommandResult>(new OperatorClear(node.Clock.GetUtcNow(), request.Reason, who), AskTimeout);
                return result.Accepted
                    ? Results.Json(new ModeWire.ClearResult(true, result.Mode.Display(), result.Transition is { } t ? ModeWire.Of(t) : null))
                    : Results.Conflict(new { error = result.Error, mode = result.Mode.Display() });
            });
        });

        api.MapPost("/mode/hold", (HoldRequest request) => HoldAsync(node, on: true, request.Reason, request.Who));
        api.MapPost("/mode/release", (HoldRequest request) => HoldAsync(node, on: false, request.Reason, request.Who));

        api.MapGet("/breakers", () => WithActor(node, BreakersPath, async actor =>
            Results.Json(ModeWire.Of(await actor.Ask<BreakersStatus>(GetBreakers.Instance, AskTimeout)))));

        api.MapPost("/breakers/reset", (ResetRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Reason))
                return Task.FromResult(Results.BadRequest(new { error = "a breaker name and a reason (--reason) are required" }));
            return WithActor(node, BreakersPath, async actor =>
            {
                var who = string.IsNullOrWhiteSpace(request.Who) ? "admin-api" : request.Who;
                return await actor.Ask(new ResetBreaker(request.Name, request.Reason, who), AskTimeout) switch
                {
                    BreakerView view => Results.Json(ModeWire.Of(view)),
                    BreakerRefused refused => Results.NotFound(new { error = refused.Error }),
                    var other => Results.Problem($"unexpected reply {other}"),
                };
            });
        });
    }

    /// <summary>
    /// Puts the operator's hold on new entries on or off (the mode actor journals it with who and why): 400 without a
    /// reason, 409 when the mode actor refuses (it says why), 503 when no engine with a mode ladder runs.
    /// </summary>
    public static Task<IResult> HoldAsync(NodeRuntime node, bool on, string? reason, string? who)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Task.FromResult(Results.BadRequest(new { error = "a reason is required (--reason)" }));
        return WithActor(node, ModePath, async actor =>
        {
            var result = await actor.Ask<ModeCommandResult>(new HoldEntries(on, reason.Trim(), string.IsNullOrWhiteSpace(who) ? "admin-api" : who.Trim()), AskTimeout);
            if (!result.Accepted) return Results.Conflict(new { error = result.Error, mode = result.Mode.Display() });
            var status = await actor.Ask<ModeStatus>(GetMode.Instance, AskTimeout);
            return Results.Json(new ModeWire.HoldResult(on, result.Mode.Display(), result.Transition is { } t ? ModeWire.Of(t) : null,
                status.Hold is { } h ? ModeWire.Of(h) : null));
        });
    }

    /// <summary>A clear 503 instead of an ask timeout when the engine has not started the actor (yet).</summary>
    private static async Task<IResult> WithActor(NodeRuntime node, string path, Func<IActorRef, Task<IResult>> call)
    {
        IActorRef actor;
        try
        {
            actor = await node.System.ActorSelection(path).ResolveOne(AskTimeout);
        }
        catch (ActorNotFoundException)
        {
            return Results.Json(new { error = $"no actor at {path}: the engine is not running or does not start it" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return await call(actor);
    }

    public sealed record ClearRequest(string? Reason, string? Who);

    public sealed record HoldRequest(string? Reason, string? Who);

    public sealed record ResetRequest(string? Name, string? Reason, string? Who);
}
