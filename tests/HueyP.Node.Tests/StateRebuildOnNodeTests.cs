using System.Text.Json;
using HueyP.Domain.Market;
using HueyP.Domain.Trading;
using HueyP.Node.Cli;

namespace HueyP.Node.Tests;

/// <summary>`hueyp state rebuild` against a running node: the state its actors hold equals what its journal gives.</summary>
public sealed class StateRebuildOnNodeTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task After_a_filled_order_the_rebuilt_state_equals_the_state_the_node_holds()
    {
        var engine = _node.Node.Runtime.Engine!;
        var time = new DateTime(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
        engine.PublishLive(new Quote("EURUSD", time, 1.0800, 1.0801));
        engine.Sink.Submit(new OrderIntent("EMAX", "EURUSD", Side.Buy, 0.1m, OrderType.Market, time.AddMinutes(-5), time, 1.08, null, 1.07, 1.09, 1, "test"), null!);

        // The order fills on a later quote: quote until the fill is journaled, then stop, so nothing lands between
        // the node's two reads and the comparison is exact.
        for (var i = 1; i <= 600 && !await FilledAsync(); i++)
        {
            engine.PublishLive(new Quote("EURUSD", time.AddSeconds(i), 1.0800, 1.0801));
            await Task.Delay(50);
        }

        // The order's own events may still be in flight for a moment after the ledger's fill; a real difference never settles.
        var settled = await CliHarness.RunAsync(_node.Cli("state", "rebuild", "--json"));
        for (var attempt = 0; attempt < 100 && settled.ExitCode != ExitCodes.Ok; attempt++)
        {
            await Task.Delay(100);
            settled = await CliHarness.RunAsync(_node.Cli("state", "rebuild", "--json"));
        }

        Assert.Equal(ExitCodes.Ok, settled.ExitCode);
        var rebuilt = JsonDocument.Parse(settled.Output).RootElement;
        Assert.Equal(1, rebuilt.GetProperty("orders").GetInt32());
        Assert.True(rebuilt.GetProperty("ledger_events").GetInt64() > 1, "the fill reached the ledger");
        Assert.Equal(rebuilt.GetProperty("state_hash").GetString(), rebuilt.GetProperty("node_state_hash").GetString());
        Assert.True(rebuilt.GetProperty("consistent").GetBoolean());
    }

    private async Task<bool> FilledAsync()
    {
        var journal = _node.Node.Runtime.Journal!;
        await foreach (var envelope in journal.ReadJournal.CurrentEventsByPersistenceId(HueyP.Engine.Ledger.LedgerActor.Id, 2, long.MaxValue))
            return true;
        return false;
    }

    [Fact]
    public async Task Without_a_node_or_a_file_the_command_says_where_it_looked()
    {
        var run = await CliHarness.RunAsync("state", "rebuild", "--node", "127.0.0.1:1", "--token-file", _node.TokenFile);

        Assert.Equal(ExitCodes.NodeUnreachable, run.ExitCode);
        Assert.Contains("127.0.0.1:1", run.Error);
    }
}
