using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HueyP.Hocon;
using Microsoft.Extensions.Configuration;

namespace HueyP.Node.Configuration;

/// <summary>A configuration file read, checked against reference.conf and bound to <see cref="NodeSettings"/>.</summary>
public sealed record LoadedConfiguration(
    string File,
    HoconConfig? Hocon,
    NodeSettings? Settings,
    IReadOnlyList<string> Errors,
    string RedactedJson,
    string ConfigHash,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<HueyP.Node.Modules.INodeModule> Modules);

public static partial class NodeConfiguration
{
    public const string DefaultFile = "hocon/paper.conf";

    /// <summary>Keys whose children are free-form names (maps), so no typo check applies below them.</summary>
    private static readonly string[] OpenMaps = ["hueyp.logging.overrides.*", "hueyp.bridge.peers.*"];

    public static LoadedConfiguration Load(string? file)
    {
        file = Locate(file ?? DefaultFile);
        HoconConfig hocon;
        try
        {
            hocon = HoconParser.ParseFile(file);
        }
        catch (HoconException e)
        {
            return new LoadedConfiguration(file, null, null, [e.Message], "{}", "", [], []);
        }

        var errors = new List<string>();
        var reference = ReferenceFor(file);
        if (reference is not null)
        {
            var known = reference.Entries().Select(e => e.Key).Concat(OpenMaps);
            errors.AddRange(UnknownKeyCheck.Find(hocon, known, "hueyp").Select(u => u.ToString()));
        }

        var configuration = new ConfigurationBuilder().AddHoconConfig(hocon).Build();
        var reader = new SettingsReader(configuration, key => hocon.Origin(key)?.ToString());
        var settings = NodeSettings.Read(reader);
        var modules = HueyP.Node.Modules.NodeModules.All.Select(factory => factory.Create(reader)).ToList();
        errors.AddRange(reader.Errors);

        var redactedJson = HoconRenderer.ToJson(hocon, redact: true);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(redactedJson)));
        return new LoadedConfiguration(file, hocon, settings, errors, redactedJson, hash, SecretsIn(settings), modules);
    }

    /// <summary>For the CLI: the node's address and token file when the configuration can be read, else null.</summary>
    public static NodeSettings? TryLoadSettings(string? file)
    {
        try
        {
            return Load(file).Settings;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>A relative path is tried from the working folder first, then beside the executable (its shipped hocon/).</summary>
    private static string Locate(string file)
    {
        if (Path.IsPathRooted(file) || File.Exists(file))
        {
            return file;
        }

        var besideExecutable = Path.Combine(AppContext.BaseDirectory, file);
        return File.Exists(besideExecutable) ? besideExecutable : file;
    }

    private static HoconConfig? ReferenceFor(string file)
    {
        var candidates = new[]
        {
            Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "reference.conf"),
            Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf"),
        };
        var path = candidates.FirstOrDefault(File.Exists);
        return path is null ? null : HoconParser.ParseFile(path);
    }

    private static IReadOnlyList<string> SecretsIn(NodeSettings settings)
    {
        var password = PasswordInConnectionString().Match(settings.Persistence.PostgresConnectionString);
        return password.Success ? [password.Groups[1].Value.Trim()] : [];
    }

    [GeneratedRegex(@"(?i)\b(?:password|pwd)\s*=\s*([^;]*)")]
    private static partial Regex PasswordInConnectionString();
}
