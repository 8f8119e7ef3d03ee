using System.Text.Json;
using HueyP.Node.Cli;

namespace HueyP.Node.Tests;

/// <summary>Runs `hueyp ...` in-process and captures what a user would see: exit code, stdout, stderr.</summary>
public static class CliHarness
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, output, error, PaletteRegistry.All);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }
}

public sealed record CliRun(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
