using System.Text.Json;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// The standby keeps the order and ledger state warm from the journal it tails, without an engine: after a burst of
/// orders on the active, the state hash `hueyp cluster show` reports on the standby equals the hash of the state the
/// active's actors hold (and the journal's rebuild).
/// </summary>
[Collection("cluster processes")]
public sealed class WarmStandbyTests
{
    [Fact]
    public async Task After_a_burst_of_orders_the_standby_projection_holds_the_active_state_hash_without_running_an_engine()
    {
        await using var pair = await ClusterPair.StartAsync(OrderFlow.Config());
        await pair.WaitForAsync(async () => (await OrderFlow.AcknowledgedAsync(pair)).Count >= 10, "a burst of orders on node-a");

        await pair.A.PauseDrillFeedAsync(true);
        var rebuild = await OrderFlow.StateRebuildAsync(pair, pair.A);
        Assert.True(rebuild.GetProperty("consistent").GetBoolean(), $"the active's state differs from its journal: {rebuild}");
        var activeHash = rebuild.GetProperty("node_state_hash").GetString();
        var orders = rebuild.GetProperty("orders").GetInt32();
        Assert.True(orders >= 10);

        // The standby has read up to the journal's head (its own heartbeats keep writing there) and holds the same state.
        var head = Convert.ToInt64(await pair.ScalarAsync("SELECT max(ordering) FROM event_journal"), System.Globalization.CultureInfo.InvariantCulture);
        JsonElement projection = default;
        await pair.WaitForAsync(async () => await pair.B.StatusAsync() is { } s
            && (projection = s.GetProperty("projection")).ValueKind == JsonValueKind.Object && projection.GetProperty("offset").GetInt64() >= head,
            "node-b's projection to reach the journal head");
        Assert.Equal("standby", (await pair.B.RoleAsync())!.Value.Role);
        Assert.Null(await pair.B.GetAsync("/api/ledger")); // no engine, no order side on the standby: the projection is all it holds
        Assert.Equal(orders, projection.GetProperty("orders").GetInt32());
        Assert.Equal(0, projection.GetProperty("failed_events").GetInt64());
        Assert.Equal(activeHash, projection.GetProperty("state_hash").GetString());
        Assert.Equal(rebuild.GetProperty("rebuilt_ledger_hash").GetString(), projection.GetProperty("ledger_hash").GetString());

        // Trading on: the standby follows, and the hashes part until the market holds still again.
        await pair.A.PauseDrillFeedAsync(false);
        await pair.WaitForAsync(async () => (await OrderFlow.AcknowledgedAsync(pair)).Count > orders, "more orders on node-a");
        await pair.A.PauseDrillFeedAsync(true);
        var again = await OrderFlow.StateRebuildAsync(pair, pair.A);
        Assert.True(again.GetProperty("consistent").GetBoolean());
        await pair.WaitForAsync(async () => await pair.B.StatusAsync() is { } s && s.GetProperty("projection").GetProperty("state_hash").GetString() == again.GetProperty("node_state_hash").GetString(),
            "node-b's projection to hold the active's new state");
        Assert.NotEqual(activeHash, again.GetProperty("node_state_hash").GetString());
    }
}
