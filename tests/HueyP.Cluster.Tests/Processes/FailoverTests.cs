namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// Two real `hueyp` processes on one PostgreSQL, the active writing to the journal all the time (write-probe-interval
/// 50 ms): kill -9, SIGSTOP/SIGCONT and a graceful step-down, each checked from outside as an operator would.
/// </summary>
[Collection("cluster processes")]
public sealed class FailoverTests
{
    /// <summary>CI-sized; scripts/chaos.sh cluster runs more through HUEYP_CLUSTER_CYCLES.</summary>
    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("HUEYP_CLUSTER_CYCLES"), out var n) && n > 0 ? n : 10;

    [Fact]
    public async Task After_kill_minus_9_of_the_active_the_other_node_takes_over_every_time_and_terms_never_interleave()
    {
        await using var pair = await ClusterPair.StartAsync();
        var epoch = (await pair.A.RoleAsync())!.Value.Epoch;

        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            var active = await pair.ActiveAsync();
            var standby = pair.Other(active);
            await pair.WaitForAsync(async () => await pair.RowsOfEpochAsync(epoch) > 2, $"cycle {cycle}: writes of epoch {epoch}");

            active.Kill();

            await pair.WaitForAsync(async () => await standby.RoleAsync() is { Role: "active" } s && s.Epoch > epoch, $"cycle {cycle}: {standby.Name} to take over");
            var next = (await standby.RoleAsync())!.Value.Epoch;
            Assert.Equal(epoch + 1, next);
            await pair.WaitForAsync(async () => await pair.RowsOfEpochAsync(next) > 0, $"cycle {cycle}: {standby.Name} writing under epoch {next}");
            Assert.Equal(0, await pair.InterleavedTermsAsync());

            active.Start();
            await pair.WaitForAsync(async () => await active.RoleAsync() is { Role: "standby" }, $"cycle {cycle}: {active.Name} back as standby");
            Assert.Equal(next, (await pair.ActiveAsync() == standby ? (await standby.RoleAsync())!.Value.Epoch : -1));
            epoch = next;
        }

        Assert.Equal(Cycles + 1, epoch);
    }

    [Fact]
    public async Task A_frozen_active_is_replaced_and_after_waking_writes_nothing_and_steps_down_by_itself()
    {
        await using var pair = await ClusterPair.StartAsync();
        var frozen = pair.A;
        var epoch = (await frozen.RoleAsync())!.Value.Epoch;
        await pair.WaitForAsync(async () => await pair.RowsOfEpochAsync(epoch) > 2, "writes of the first term");

        frozen.Freeze();
        await pair.WaitForAsync(async () => await pair.B.RoleAsync() is { Role: "active" }, "node-b to take over from the frozen node-a");
        var takeover = (await pair.B.RoleAsync())!.Value.Epoch;
        var frozenRows = await pair.RowsOfEpochAsync(epoch);
        await pair.WaitForAsync(async () => await pair.RowsOfEpochAsync(takeover) > 2, "node-b writing");
        frozen.Thaw();

        await pair.WaitForAsync(async () => await frozen.StatusAsync() is { } s && s.GetProperty("role").GetString() == "standby", "node-a to step down after waking");
        var status = (await frozen.StatusAsync())!.Value;
        Assert.False(status.GetProperty("accepting").GetBoolean());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("last_loss").GetString()));
        Assert.Equal(frozenRows, await pair.RowsOfEpochAsync(epoch));
        Assert.Equal(0, await pair.InterleavedTermsAsync());
        Assert.Equal(("active", takeover), ((await pair.B.RoleAsync())!.Value.Role, (await pair.B.RoleAsync())!.Value.Epoch));
    }

    [Fact]
    public async Task Step_down_hands_over_without_a_fenced_write_and_the_old_active_stays_standby()
    {
        await using var pair = await ClusterPair.StartAsync();
        var epoch = (await pair.A.RoleAsync())!.Value.Epoch;
        await pair.WaitForAsync(async () => await pair.RowsOfEpochAsync(epoch) > 2, "writes of the first term");

        var reply = await pair.A.StepDownAsync();
        Assert.Equal(epoch, reply.GetProperty("stepping_down_from_epoch").GetInt64());

        await pair.WaitForAsync(async () => await pair.B.RoleAsync() is { Role: "active" }, "node-b to take over");
        await pair.WaitForAsync(async () => await pair.A.RoleAsync() is { Role: "standby" }, "node-a to be standby");
        var a = (await pair.A.RoleAsync())!.Value;
        var b = (await pair.B.RoleAsync())!.Value;
        Assert.Equal(epoch + 1, b.Epoch);
        // Drained under its own lease: nothing node-a tried to write was refused.
        Assert.Equal(0, a.FencedWrites);
        Assert.Equal(0, await pair.InterleavedTermsAsync());
    }
}

[CollectionDefinition("cluster processes", DisableParallelization = true)]
public sealed class ClusterProcessesCollection;
