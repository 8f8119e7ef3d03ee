using System.Text.Json;
using System.Text.Json.Nodes;
using HueyP.Benchmarks.Actors;

// Each benchmark prints exactly one JSON object on stdout; progress goes to stderr.
var benchmarks = new Dictionary<string, Func<string[], Task<JsonObject>>>(StringComparer.OrdinalIgnoreCase)
{
    ["actors"] = ActorBenchmarks.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: scripts/bench.sh NAME   (NAME: {string.Join(" | ", benchmarks.Keys)})");
    return 2;
}

var result = await run(args[1..]);
result["machine"] = new JsonObject
{
    ["cores"] = Environment.ProcessorCount,
    ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
};
Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
return 0;
