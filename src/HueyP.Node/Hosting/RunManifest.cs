using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using HueyP.Node.Files;

namespace HueyP.Node.Hosting;

/// <summary>
/// What a node is, written once at start-up to run/manifest.json: enough to tell afterwards which code, which
/// configuration (by hash, secrets redacted) and which database produced a decision.
/// </summary>
public sealed record RunManifest(
    DateTime StartedAt,
    string Node,
    string Role,
    string Mode,
    string Version,
    string GitCommit,
    string DotnetVersion,
    string ConfigHash,
    IReadOnlyList<string> Features,
    string DatabaseKind,
    string DatabaseLocation,
    string AdminEndpoint)
{
    public static (string Version, string Commit) CodeVersion()
    {
        var informational = typeof(RunManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+');
        return plus < 0 ? (informational, "unknown") : (informational[..plus], informational[(plus + 1)..]);
    }

    public static string Dotnet => RuntimeInformation.FrameworkDescription;

    public string ToJson() => JsonSerializer.Serialize(this, ManifestJson.Default.RunManifest);

    public void WriteTo(string path) => AtomicFile.WriteAllText(path, ToJson());
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(RunManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
