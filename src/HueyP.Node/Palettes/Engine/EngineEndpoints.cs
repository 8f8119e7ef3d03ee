using HueyP.Actors;
using HueyP.Engine.Agents;
using HueyP.Engine.Decisions;
using HueyP.Engine.Gates;
using HueyP.Engine.Symbols;
using HueyP.Node.Admin;
using HueyP.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HueyP.Node.Palettes.Engine;

/// <summary>Read models of the engine's actors for `hueyp symbols|gates|agents|decisions`.</summary>
public sealed class EngineEndpoints : IAdminEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public void Map(IEndpointRouteBuilder api, NodeRuntime node)
    {
        api.MapGet("/symbols", (string? symbol) => WithEngine(node, async engine =>
        {
            var symbols = symbol is null ? engine.Symbols.Order(StringComparer.Ordinal).ToList() : [symbol.ToUpperInvariant()];
            if (symbol is not null && !engine.Symbols.Contains(symbols[0]))
            {
                return Results.NotFound(new { error = $"{symbols[0]} is not traded by this node (symbols: {string.Join(", ", engine.Symbols)})" });
            }

            var statuses = await Task.WhenAll(symbols.Select(s => engine.Refs.Symbols.Ask<SymbolStatus>(new GetSymbolStatus(s), AskTimeout)));
            return Results.Json(statuses);
        }));
        api.MapGet("/gates", () => WithEngine(node, async engine => Results.Json(await engine.Refs.Gates.Ask<ConstraintRepository>(GetConstraints.Instance, AskTimeout))));
        api.MapGet("/agents", () => WithEngine(node, async engine => Results.Json(await engine.Refs.Agents.Ask<AgentsStatus>(GetAgentStatus.Instance, AskTimeout))));
        api.MapGet("/decisions/tail", (int? n) => WithEngine(node, async engine =>
        {
            var stats = await engine.FlushAsync(AskTimeout);
            return Results.Json(new { stats, records = TailLines(node.Settings.Engine.RecordsPath, Math.Clamp(n ?? 20, 1, 1000)) });
        }));
    }

    /// <summary>A clear 503 on a node whose engine is not running (a cluster standby), instead of a crash.</summary>
    private static Task<IResult> WithEngine(NodeRuntime node, Func<HueyP.Engine.EngineHost, Task<IResult>> call) =>
        node.Engine is { } engine
            ? call(engine)
            : Task.FromResult(Results.Json(new { error = "no engine runs on this node (a cluster standby runs none until it holds the lease)" }, statusCode: StatusCodes.Status503ServiceUnavailable));

    /// <summary>The last lines of the append-only records file, parsed, without reading it all into memory twice.</summary>
    private static IReadOnlyList<System.Text.Json.JsonElement> TailLines(string path, int count)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var window = new Queue<string>(count);
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        while (reader.ReadLine() is { } line)
        {
            if (window.Count == count)
            {
                window.Dequeue();
            }

            window.Enqueue(line);
        }

        return window.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
