using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// Two real `hueyp` processes on one PostgreSQL, the active writing to the journal all the time (write-probe-interval
/// 50 ms) and, in the kill -9 test, trading: the drill feed plays recorded ticks into its live engine, so decisions and
/// marks flow, and its orders go over the bridge to a third process, `hueyp ea-sim`, which fills them and outlives every
/// node: the EA is the witness that no order reached the broker twice or never. kill -9, SIGSTOP/SIGCONT and a
/// graceful step-down, each checked from outside as an operator would.
/// </summary>
[Collection("cluster processes")]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("HUEYP_CHAOS_SEED"), out var n) ? n : 7;

    /// <summary>CI-sized; scripts/chaos.sh cluster runs more through HUEYP_CLUSTER_CYCLES.</summary>
    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("HUEYP_CLUSTER_CYCLES"), out var n) && n > 0 ? n : 10;

    [Fact]
    public async Task After_kill_minus_9_of_the_active_the_other_node_takes_over_every_time_and_terms_never_interleave()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        // The engine's market is the drill feed, which the test pauses to compare `state rebuild` on a still market
        // (and which a new active resumes a little before where the old one stopped). The EA fills at a fixed quote and
        // streams no ticks: its ticks would be a second market the test could not pause, and stop closes at its own
        // moving prices would keep writing while the test waits for the journal to go quiet.
        await using var pair = await ClusterPair.StartAsync(OrderFlow.Config(), eaBroker: true);
        var ea = pair.Ea!;
        var journal = new JournalChecks(pair);
        var epoch = (await pair.A.RoleAsync())!.Value.Epoch;
        var checkedOrders = new HashSet<string>(StringComparer.Ordinal);
        long lost = 0, fullyVerifiedEvents = 0;

        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            var cycleStart = clock.Elapsed;
            var active = await pair.ActiveAsync();
            var standby = pair.Other(active);
            // Orders flow in this term, then the kill lands at a random moment while they keep flowing.
            var before = (await journal.AcknowledgedAsync()).Count;
            await pair.WaitForAsync(async () => (await journal.AcknowledgedAsync()).Count >= before + 2, $"cycle {cycle}: orders acknowledged by {active.Name}");
            var flowAt = clock.Elapsed;
            await Task.Delay(random.Next(0, 300));
            var acknowledged = await journal.AcknowledgedAsync();

            active.Kill();

            await pair.WaitForAsync(async () => await standby.RoleAsync() is { Role: "active" } s && s.Epoch > epoch, $"cycle {cycle}: {standby.Name} to take over");
            var next = (await standby.RoleAsync())!.Value.Epoch;
            var takenAt = clock.Elapsed;
            Assert.Equal(epoch + 1, next);
            active.Start(); // back as the standby while the new active is checked
            Assert.Equal(0, await pair.InterleavedTermsAsync());

            // (a) nothing the old active acknowledged is missing: not from the journal, not from the new active's order side.
            var missing = acknowledged.Except(await journal.AcknowledgedAsync()).ToList();
            lost += missing.Count;
            Assert.True(missing.Count == 0, $"cycle {cycle}: acknowledged orders missing from the journal after the kill: {string.Join(", ", missing)}");
            var unknown = await OrderFlow.UnknownToAsync(standby, acknowledged.Except(checkedOrders));
            Assert.True(unknown.Count == 0, $"cycle {cycle}: the new active {standby.Name} does not know acknowledged orders {string.Join(", ", unknown)}");
            checkedOrders.UnionWith(acknowledged);

            // Orders flow again under the new term.
            await pair.WaitForAsync(async () => (await journal.AcknowledgedAsync()).Count > acknowledged.Count, $"cycle {cycle}: orders acknowledged by {standby.Name}");

            // The new active's symbols started warm, from the bars the old active journaled (hueyp.engine.warm-start = journal).
            var warmStart = await OrderFlow.WarmStartAsync(standby, "EURUSD");
            Assert.True(warmStart.StartsWith("journal: ", StringComparison.Ordinal) && !warmStart.StartsWith("journal: 0 bars", StringComparison.Ordinal),
                $"cycle {cycle}: {standby.Name} did not warm EURUSD from the journal: {warmStart}");

            var resumedAt = clock.Elapsed;
            // (b)-(d) on a still market: the feed paused, the state the new active holds is what the journal gives.
            await standby.PauseDrillFeedAsync(true);
            // The whole journal through the CLI now and then (first, every tenth and last cycle); every cycle, the
            // chain links of the rows written since the last check, from where each chain stood.
            var verifying = cycle == 1 || cycle % 10 == 0 || cycle == Cycles ? OrderFlow.VerifyJournalAsync(pair) : null;
            var head = await journal.HeadAsync();
            var rebuild = await OrderFlow.StateRebuildAsync(pair, standby);
            Assert.True(rebuild.ValueKind == JsonValueKind.Object && rebuild.GetProperty("consistent").GetBoolean(),
                $"cycle {cycle}: `hueyp state rebuild` on {standby.Name} differs from the state it holds: {rebuild}");
            var rebuiltAt = clock.Elapsed;
            var broken = await journal.SettleAsync(head);
            Assert.True(broken is null, $"cycle {cycle}: a journal hash chain is broken: {broken}");
            if (verifying is not null)
            {
                var verify = await verifying;
                Assert.True(verify.ExitCode == 0, $"cycle {cycle}: `hueyp journal verify` failed: {verify.Output}");
                Assert.True(verify.EventsChecked >= journal.EventsVerified, $"cycle {cycle}: `hueyp journal verify` checked {verify.EventsChecked} events, fewer than the {journal.EventsVerified} already linked");
                fullyVerifiedEvents = verify.EventsChecked;
            }
            var verifiedAt = clock.Elapsed;
            var twice = await OrderFlow.SubmittedTwiceAsync(pair);
            Assert.True(twice.Count == 0, $"cycle {cycle}: submitted to the broker more than once: {string.Join(", ", twice)}");
            // Every order acknowledged so far, those of the old active's last moments too (they may reach the EA only
            // once the new active resends them: the witness waits for them). Except those the kill caught before they
            // left the node (journaled submitted, not yet sent to the broker): the new active canceled them at start-up,
            // and the EA must never have seen them.
            var acknowledgedNow = await journal.AcknowledgedAsync();
            var unsent = await OrderFlow.CanceledUnsentAsync(pair);
            foreach (var witness in OrderWitnesses.All(pair))
            {
                var (duplicates, notReceived) = await witness.CheckAsync(acknowledgedNow.Except(unsent).ToHashSet(StringComparer.Ordinal));
                if (duplicates.Count == 0 && notReceived.Count == 0) continue;
                var histories = new List<string>();
                foreach (var id in duplicates.Concat(notReceived.Select(n => n.Split(' ')[0])).Distinct())
                    histories.Add($"  {id}:\n{await OrderFlow.JournalHistoryAsync(pair, id)}");
                Assert.Fail($"cycle {cycle}: {witness.Name} received twice: {string.Join(", ", duplicates)}; never received: {string.Join(", ", notReceived)}\n"
                    + $"--- the journal about them ---\n{string.Join('\n', histories)}\n--- {active.Name} (killed) ---\n{active.LogTail(60)}\n--- {standby.Name} ---\n{standby.LogTail(60)}\n--- ea-sim ---\n{ea.Output}");
            }
            // And the EA received nothing the journal does not hold as submitted (it is written before the order leaves),
            // nor any order the journal holds as never sent and canceled.
            var unjournaled = ea.Witness.Received.Except(acknowledgedNow).ToList();
            Assert.True(unjournaled.Count == 0, $"cycle {cycle}: the EA received orders the journal does not hold as submitted: {string.Join(", ", unjournaled)}");
            var canceledYetReceived = ea.Witness.Received.Intersect(unsent).ToList();
            Assert.True(canceledYetReceived.Count == 0, $"cycle {cycle}: the EA received orders the journal holds as never sent and canceled: {string.Join(", ", canceledYetReceived)}");
            Assert.True(ea.Running, $"cycle {cycle}: hueyp ea-sim exited: {ea.Output}");
            await standby.PauseDrillFeedAsync(false);

            var checkedAt = clock.Elapsed;
            await pair.WaitForAsync(async () => await active.RoleAsync() is { Role: "standby" }, $"cycle {cycle}: {active.Name} back as standby");
            Progress($"cycle {cycle}: {cycleStart.TotalSeconds:0.0}s start, flow {flowAt.TotalSeconds:0.0}, taken over {takenAt.TotalSeconds:0.0}, resumed {resumedAt.TotalSeconds:0.0}, rebuilt {rebuiltAt.TotalSeconds:0.0} ({rebuild.GetProperty("events")} events), verified {verifiedAt.TotalSeconds:0.0} ({journal.EventsVerified} linked{(verifying is null ? "" : ", whole journal")}), checked {checkedAt.TotalSeconds:0.0} ({ea.Witness.Received.Count} orders at the EA, {ea.Witness.DuplicateDeliveries} redelivered), standby {clock.Elapsed.TotalSeconds:0.0}");
            Assert.Equal(next, (await pair.ActiveAsync() == standby ? (await standby.RoleAsync())!.Value.Epoch : -1));
            epoch = next;
        }

        Assert.Equal(Cycles + 1, epoch);
        // The incremental reads saw what a scan of the whole journal sees (on a still market: orders flow otherwise).
        var last = await pair.ActiveAsync();
        await last.PauseDrillFeedAsync(true);
        await OrderFlow.QuietAsync(pair, last);
        var acknowledgedAtEnd = await OrderFlow.AcknowledgedAsync(pair);
        var tracked = await journal.AcknowledgedAsync();
        Assert.True(acknowledgedAtEnd.SetEquals(tracked),
            $"the per-cycle reads and a scan of the whole journal differ: only in the scan {string.Join(", ", acknowledgedAtEnd.Except(tracked))}; only per cycle {string.Join(", ", tracked.Except(acknowledgedAtEnd))}");
        // The EA at the end: everything acknowledged and sent reached it, once; it received nothing else.
        var unsentAtEnd = await OrderFlow.CanceledUnsentAsync(pair);
        var sentAtEnd = acknowledgedAtEnd.Except(unsentAtEnd).ToHashSet(StringComparer.Ordinal);
        var (eaDuplicates, eaMissing) = await ea.Witness.CheckAsync(sentAtEnd);
        Assert.True(eaDuplicates.Count == 0 && eaMissing.Count == 0, $"at the end the EA executed twice: {string.Join(", ", eaDuplicates)}; never received: {string.Join(", ", eaMissing)}");
        Assert.True(ea.Witness.Received.SetEquals(sentAtEnd),
            $"the EA received orders the journal does not hold as sent: {string.Join(", ", ea.Witness.Received.Except(sentAtEnd))}");
        Assert.Equal(0, ea.Witness.UnreadableLines);
        var counts = new
        {
            test = "cluster-kill-9",
            cycles = Cycles,
            seed = Seed,
            intents = await CountAsync(pair, "IntentRegistered.v1"),
            orders_submitted = await CountAsync(pair, "OrderSubmitted.v1"),
            orders_acknowledged = acknowledgedAtEnd.Count,
            orders_at_broker = await OrderFlow.BrokerRequestsAsync(pair),
            fills = await CountAsync(pair, "OrderFilled.v1"),
            duplicates = (await OrderFlow.SubmittedTwiceAsync(pair)).Count,
            lost,
            orders_canceled_unsent = unsentAtEnd.Count,
            orders_received_by_ea = ea.Witness.Received.Count,
            ea_duplicate_executions = ea.Witness.ExecutedTwice.Count,
            ea_duplicate_deliveries = ea.Witness.DuplicateDeliveries,
            ea_expired = ea.Witness.Expired,
            ea_lost = eaMissing.Count,
            journal_events_verified = fullyVerifiedEvents,
            journal_events_linked = journal.EventsVerified,
            seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            load_average = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[..3] : [],
        };
        var line = JsonSerializer.Serialize(counts);
        Progress(line);
        if (Environment.GetEnvironmentVariable("HUEYP_CHAOS_OUT") is { Length: > 0 } file) await File.AppendAllTextAsync(file, line + "\n");
    }

    /// <summary>To the test output and, when scripts/chaos.sh asks for it (HUEYP_CLUSTER_PROGRESS), to a file it shows as the run goes.</summary>
    private void Progress(string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("HUEYP_CLUSTER_PROGRESS") is { Length: > 0 } file) File.AppendAllText(file, line + "\n");
    }

    private static async Task<long> CountAsync(ClusterPair pair, string manifest) =>
        Convert.ToInt64(await pair.ScalarAsync($"SELECT count(*) FROM event_journal WHERE manifest = '{manifest}' AND NOT deleted"), CultureInfo.InvariantCulture);

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
