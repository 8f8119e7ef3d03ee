using HueyP.Actors.Diagnostics;
using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Actors;

public sealed class ActorEndpoints : IAdminEndpoints
{
    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/actors", (string? path, int? depth) =>
        {
            var snapshot = node.System.Diagnostics.Snapshot(path ?? "/user", depth ?? 8);
            return snapshot is null
                ? Results.NotFound(new { error = $"no actor at {path}" })
                : Results.Json(ActorTreeJson.From(snapshot));
        });

        api.MapPost("/actors/crash", (CrashRequest request) =>
        {
            if (string.IsNullOrWhiteSpace(request.Path))
            {
                return Results.BadRequest(new { error = "path is required, e.g. /user/engine/symbols/EURUSD" });
            }

            if (ChaosExceptions.Create(request.Exception ?? nameof(InvalidOperationException), request.Path) is not { } exception)
            {
                return Results.BadRequest(new { error = $"unknown exception type '{request.Exception}'; use one of {string.Join(", ", ChaosExceptions.Known)}" });
            }

            return node.System.Diagnostics.Crash(request.Path, exception)
                ? Results.Json(new { path = request.Path, exception = exception.GetType().Name })
                : Results.NotFound(new { error = $"no actor at {request.Path}" });
        });
    }

    public sealed record CrashRequest(string? Path, string? Exception);
}

/// <summary>The JSON shape of `hueyp actor hierarchy`.</summary>
public sealed record ActorTreeJson(string Name, string Path, string Type, int Mailbox, int Restarts, bool Suspended, IReadOnlyList<ActorTreeJson> Children)
{
    public static ActorTreeJson From(ActorTreeNode node) => new(
        NameOf(node.Path),
        node.Path,
        node.ActorType,
        node.MailboxDepth,
        node.RestartCount,
        node.IsSuspended,
        node.Children.Select(From).ToList());

    private static string NameOf(string path)
    {
        var trimmed = path.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return trimmed.EndsWith(':') || slash < 0 || trimmed[slash - 1] == '/' ? "/" : trimmed[(slash + 1)..];
    }

    public int Count() => 1 + Children.Sum(c => c.Count());

}

/// <summary>Exceptions an operator may inject with `hueyp actor crash`: the kinds real failures take.</summary>
public static class ChaosExceptions
{
    private static readonly Dictionary<string, Func<string, Exception>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(InvalidOperationException)] = m => new InvalidOperationException(m),
        [nameof(TimeoutException)] = m => new TimeoutException(m),
        [nameof(IOException)] = m => new IOException(m),
        [nameof(ArgumentException)] = m => new ArgumentException(m),
        [nameof(FormatException)] = m => new FormatException(m),
        [nameof(System.Net.Sockets.SocketException)] = _ => new System.Net.Sockets.SocketException(),
        [nameof(HueyP.Actors.ActorKilledException)] = m => new HueyP.Actors.ActorKilledException(m),
    };

    public static IEnumerable<string> Known => Factories.Keys;

    public static Exception? Create(string typeName, string path) =>
        Factories.TryGetValue(typeName, out var factory) ? factory($"chaos: crash injected by an operator at {path}") : null;
}
