using System.CommandLine;
using System.Text.Json;
using HueyP.Node.Configuration;

namespace HueyP.Node.Cli;

/// <summary>
/// Runs one admin call for a command: finds the node (--node, else the configuration) and its token
/// (--token-file, else the configuration), then prints JSON with --json or the command's readable rendering.
/// </summary>
public static class NodeCall
{
    public static async Task<int> RunAsync(
        CliContext context, ParseResult parsed, Func<AdminClient, CancellationToken, Task<JsonElement>> call,
        Action<JsonElement> render, CancellationToken ct)
    {
        using var client = await ConnectAsync(context, parsed, ct);
        var result = await call(client, ct);
        if (context.WantsJson(parsed))
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(result, Indented));
        }
        else
        {
            render(result);
        }

        return ExitCodes.Ok;
    }

    /// <summary>A client for the node this command addresses, with its token when the token file is there.</summary>
    public static async Task<AdminClient> ConnectAsync(CliContext context, ParseResult parsed, CancellationToken ct)
    {
        var (address, tokenFile) = Locate(context, parsed);
        string? token = File.Exists(tokenFile) ? (await File.ReadAllTextAsync(tokenFile, ct)).Trim() : null;
        return new AdminClient(address, token);
    }

    public static (string Address, string TokenFile) Locate(CliContext context, ParseResult parsed)
    {
        var explicitNode = parsed.GetValue(context.Node);
        var explicitToken = parsed.GetValue(context.TokenFile);
        if (explicitNode is not null && explicitToken is not null)
        {
            return (explicitNode, explicitToken);
        }

        var settings = NodeConfiguration.TryLoadSettings(parsed.GetValue(context.ConfigFile));
        var host = settings?.Admin.Host ?? "127.0.0.1";
        var port = settings?.Admin.Port ?? 9110;
        return (explicitNode ?? $"{host}:{port}", explicitToken ?? settings?.Admin.TokenFile ?? "run/admin.token");
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
