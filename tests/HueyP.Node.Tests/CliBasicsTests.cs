using HueyP.Node.Cli;

namespace HueyP.Node.Tests;

public sealed class CliBasicsTests
{
    [Fact]
    public async Task Help_lists_every_palette()
    {
        var run = await CliHarness.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        foreach (var palette in new[] { "node", "actor", "config" })
        {
            Assert.Contains(palette, run.Output);
        }
    }

    [Fact]
    public async Task A_mistyped_command_is_a_usage_error_with_the_closest_suggestion()
    {
        var run = await CliHarness.RunAsync("nod", "status");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Did you mean 'node'?", run.Error);
    }

    [Fact]
    public async Task A_mistyped_subcommand_gets_a_suggestion_too()
    {
        var run = await CliHarness.RunAsync("node", "stauts");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Did you mean 'status'?", run.Error);
    }

    [Fact]
    public async Task An_unreachable_node_exits_3_naming_the_address_and_how_to_start_one()
    {
        var tokenFile = Path.GetTempFileName();
        var run = await CliHarness.RunAsync("node", "status", "--node", "127.0.0.1:1", "--token-file", tokenFile);

        Assert.Equal(ExitCodes.NodeUnreachable, run.ExitCode);
        Assert.Contains("127.0.0.1:1", run.Error);
        Assert.Contains("hueyp node run", run.Error);
    }
}
