using System.Globalization;
using HueyP.Cluster.Tests.Infrastructure;
using HueyP.Tests.Shared;
using Xunit.Abstractions;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// The database both nodes depend on goes away under them and comes back, with orders flowing: on a PostgreSQL server
/// of the test's own, so the other tests' server stays up.
/// </summary>
[Collection("cluster processes")]
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgreSQL_restarted_under_the_pair_both_nodes_survive_one_node_trades_per_epoch_and_orders_resume()
    {
        await using var server = await ThrowawayPostgres.StartAsync();
        await using var pair = await ClusterPair.StartOnAsync(server.ConnectionString, OrderFlow.Config());
        var epoch = (await pair.A.RoleAsync())!.Value.Epoch;
        await pair.WaitForAsync(async () => (await OrderFlow.AcknowledgedAsync(pair)).Count >= 2, "orders acknowledged before the restart");

        await server.StopServerAsync();

        // Without renewals the active stops trading by its own clock once its lease-ttl has passed; nobody is active.
        await pair.WaitForAsync(async () => await pair.A.RoleAsync() is { Role: not "active" and not "starting" }, "node-a to stop trading without its database");
        foreach (var node in pair.Both)
        {
            Assert.True(node.Pid is not null, $"{node.Name} exited while the database was down\n{node.LogTail()}");
            Assert.NotNull(await node.StatusAsync());
        }
        // Both say so to an operator: `hueyp cluster show` answers, and tells that the database cannot be read.
        await pair.WaitForAsync(async () => (await Task.WhenAll(pair.Both.Select(n => n.StatusAsync())))
            .All(s => s is { } json && json.GetProperty("error").GetString()?.Contains("database", StringComparison.Ordinal) == true), "both nodes to report the database unreachable");
        var during = (await pair.A.StatusAsync())!.Value;
        Assert.False(during.GetProperty("accepting").GetBoolean());
        output.WriteLine($"while down: node-a {during.GetProperty("role")}, last loss: {during.GetProperty("last_loss")}");

        await server.StartServerAsync();

        // One node takes the lease with a new epoch and trades again: its writes and new orders land.
        var acknowledged = (await OrderFlow.AcknowledgedAsync(pair)).Count;
        var active = await pair.ActiveAsync();
        var next = (await active.RoleAsync())!.Value.Epoch;
        Assert.True(next > epoch, $"the lease was taken again with epoch {next}, not above {epoch}");
        await pair.WaitForAsync(async () => await pair.RowsOfEpochAsync(next) > 2, $"{active.Name} writing under epoch {next}");
        await pair.WaitForAsync(async () => (await OrderFlow.AcknowledgedAsync(pair)).Count > acknowledged, "orders acknowledged after the restart");
        await pair.WaitForAsync(async () => await pair.Other(active).RoleAsync() is { Role: "standby" }, $"{pair.Other(active).Name} standby");
        output.WriteLine($"after the restart: {active.Name} active with epoch {next} (was {epoch})");

        // Both processes lived through it; never two writers in one epoch, never a term's rows inside another's.
        foreach (var node in pair.Both) Assert.True(node.Pid is not null, $"{node.Name} exited\n{node.LogTail()}");
        Assert.Equal(1, (await Task.WhenAll(pair.Both.Select(n => n.RoleAsync()))).Count(r => r is { Role: "active" }));
        Assert.Equal(0, await pair.InterleavedTermsAsync());
        Assert.Equal(0L, Convert.ToInt64(await pair.ScalarAsync(
            "SELECT count(*) FROM (SELECT writer_epoch FROM event_journal GROUP BY writer_epoch HAVING count(DISTINCT writer_id) > 1) AS shared"), CultureInfo.InvariantCulture));
        Assert.Empty(await OrderFlow.SubmittedTwiceAsync(pair));
        var verify = await OrderFlow.VerifyJournalAsync(pair);
        Assert.True(verify.ExitCode == 0, $"`hueyp journal verify` after the restart: {verify.Output}");
    }
}
