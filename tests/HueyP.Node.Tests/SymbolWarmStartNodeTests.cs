using HueyP.Node.Cli;

namespace HueyP.Node.Tests;

/// <summary>`hueyp symbols show` says how each symbol of a running node was warmed at start.</summary>
public sealed class SymbolWarmStartNodeTests
{
    [Fact]
    public async Task A_node_started_with_warm_start_none_shows_each_symbol_as_cold_and_why()
    {
        await using var node = await TestNode.StartAsync("hueyp.engine.warm-start = none");

        var json = await CliHarness.RunAsync(node.Cli("symbols", "show", "--json"));
        var table = await CliHarness.RunAsync(node.Cli("symbols", "show"));

        Assert.Equal(ExitCodes.Ok, json.ExitCode);
        Assert.All(json.Json.EnumerateArray(), s =>
        {
            var warmStart = s.GetProperty("warm_start");
            Assert.Equal("None", warmStart.GetProperty("source").GetString());
            Assert.Equal("cold (warm-start = none)", warmStart.GetProperty("summary").GetString());
        });
        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Contains("EURUSD warm start: cold (warm-start = none)", table.Output);
        Assert.Contains("GBPUSD warm start: cold (warm-start = none)", table.Output);
    }

    [Fact]
    public async Task A_node_warm_starting_from_the_journal_shows_its_symbols_waiting_for_their_first_quote()
    {
        await using var node = await TestNode.StartAsync();

        var table = await CliHarness.RunAsync(node.Cli("symbols", "show"));

        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Contains("EURUSD warm start: waiting for the first quote", table.Output);
    }
}
