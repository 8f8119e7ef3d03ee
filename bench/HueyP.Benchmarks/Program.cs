using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

// Each benchmark prints exactly one JSON object on stdout; progress goes to stderr.
// A benchmark is a static class named <Name>Benchmarks with `Task<JsonObject> RunAsync(string[] args)`;
// `scripts/bench.sh name` finds it by that name, so adding one needs no registration here.
var benchmarks = typeof(Program).Assembly.GetTypes()
    .Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("Benchmarks", StringComparison.Ordinal))
    .Select(t => (Name: t.Name[..^"Benchmarks".Length].ToLowerInvariant(), Run: t.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static, [typeof(string[])])))
    .Where(b => b.Run?.ReturnType == typeof(Task<JsonObject>))
    .ToDictionary(b => b.Name, b => b.Run!, StringComparer.OrdinalIgnoreCase);

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: scripts/bench.sh NAME [options]   (NAME: {string.Join(" | ", benchmarks.Keys.Order())})");
    return 2;
}

var result = await (Task<JsonObject>)run.Invoke(null, [args[1..]])!;
result["machine"] = new JsonObject
{
    ["cores"] = Environment.ProcessorCount,
    ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    ["server_gc"] = System.Runtime.GCSettings.IsServerGC,
    ["load_average_1m"] = LoadAverage(),
};
Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
return 0;

// Benchmarks on a busy 2-core machine mislead; the figure says how busy it was.
static double? LoadAverage()
{
    try
    {
        return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
    catch (IOException)
    {
        return null;
    }
}

internal partial class Program;
