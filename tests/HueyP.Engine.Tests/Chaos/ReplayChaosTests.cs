using System.Globalization;
using System.Text.Json;
using HueyP.Actors.TestKit;
using HueyP.Engine.Feeds;
using Xunit.Abstractions;

namespace HueyP.Engine.Tests.Chaos;

/// <summary>
/// The chaos suite on the replay tree: every actor type crashed repeatedly during a replay with orders, at seeded slice
/// barriers; the run must complete with the same decisions, the same orders, fills and ledger as a run without crashes,
/// and no client order id may reach the broker twice. CI size by default; <c>scripts/chaos.sh</c> sets
/// HUEYP_CHAOS_SEED, HUEYP_CHAOS_CRASHES (per actor type and phase) and HUEYP_CHAOS_DAYS for the full size, and
/// HUEYP_CHAOS_OUT to receive the counts as JSON.
/// </summary>
public sealed class ReplayChaosTests(ITestOutputHelper output)
{
    private static readonly DateTime Start = new(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly int Seed = EnvInt("HUEYP_CHAOS_SEED", 7);
    private static readonly int CrashesPerTarget = EnvInt("HUEYP_CHAOS_CRASHES", 3);
    private static readonly int Days = EnvInt("HUEYP_CHAOS_DAYS", 2);
    private static readonly ReplayWindow Window = new(Start, Start.AddDays(Days));

    // HUEYP_CHAOS_TARGETS=intake,broker narrows a run to some actor types (to bisect a finding); default: all of them.
    private static readonly IReadOnlyList<string> Targets =
        Environment.GetEnvironmentVariable("HUEYP_CHAOS_TARGETS") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ChaosReplay.ReplayTargets;

    // One clean run serves every phase of a test run.
    private static readonly Lazy<Task<ChaosRun>> Clean = new(() => ChaosReplay.RunAsync("chaos-clean", Window, ChaosSchedule.None, ChaosPhase.AfterOrderBarrier, Seed));

    /// <summary>
    /// The intake keeps a slice's intents until the barrier's FlushIntents; crashed after it took them and before the
    /// flush, the restarted intake finds them in the order side's IntakeMemory and they still become orders (this lost
    /// 3 of 29 orders with seed 7 while the buffer lived in the actor).
    /// </summary>
    [Fact]
    public Task Crashing_the_intake_after_it_took_the_slice_intents_and_before_the_flush_loses_no_order() =>
        RunPhaseAsync(ChaosPhase.BeforeOrderBarrier, ["intake"]);

    [Fact]
    public Task Crashing_every_actor_type_repeatedly_after_each_order_barrier_loses_no_signal_sends_no_order_twice_and_ends_with_the_clean_ledger() =>
        RunPhaseAsync(ChaosPhase.AfterOrderBarrier, Targets);

    [Fact]
    public Task Crashing_every_actor_type_with_the_slice_in_flight_loses_no_signal_sends_no_order_twice_and_ends_with_the_clean_ledger() =>
        RunPhaseAsync(ChaosPhase.BeforeOrderBarrier, Targets);

    private async Task RunPhaseAsync(ChaosPhase phase, IReadOnlyList<string> targets)
    {
        var clean = await Clean.Value;
        Assert.True(clean.Orders.Orders > 0 && clean.Orders.Fills > 0, "the window must trade, or there is nothing to protect");
        Assert.True(clean.Replay.Records.Signals > 0, "the window must signal");

        var seed = Seed + (int)phase;
        var plan = ChaosSchedule.Plan(seed, targets, CrashesPerTarget, clean.Barriers, clean.BusyBarriers);
        var chaotic = await ChaosReplay.RunAsync($"chaos-{phase}", Window, plan, phase, seed);

        var byTarget = targets.ToDictionary(t => t, t => chaotic.Crashed.Count(c => Matches(c, t)));
        Report(phase, seed, plan.Count, clean, chaotic, byTarget);

        // Every actor type was actually crashed (a target with no actor at its step is skipped, so count what happened).
        Assert.All(byTarget, kv => Assert.True(kv.Value > 0, $"{kv.Key} was never crashed"));
        Assert.Equal(clean.Replay.Quotes, chaotic.Replay.Quotes);
        // No signal lost or added: the same decision records, in the same canonical order.
        Assert.Equal(clean.Replay.Records.Signals, chaotic.Replay.Records.Signals);
        Assert.Equal(clean.Replay.Records.Intents, chaotic.Replay.Records.Intents);
        Assert.Equal(clean.Replay.Records.Hash, chaotic.Replay.Records.Hash);
        // No order twice at the broker, none missing.
        Assert.Equal(0, chaotic.DuplicateSubmissions);
        Assert.Equal(clean.BrokerSubmissionsByOrder.Keys, chaotic.BrokerSubmissionsByOrder.Keys);
        // The same orders, fills and ledger.
        Assert.Equal(clean.Orders.Orders, chaotic.Orders.Orders);
        Assert.Equal(clean.Orders.Fills, chaotic.Orders.Fills);
        Assert.Equal(clean.Orders.OrdersHash, chaotic.Orders.OrdersHash);
        Assert.Equal(clean.Orders.LedgerHash, chaotic.Orders.LedgerHash);
        Assert.Equal(clean.Orders.StateHash, chaotic.Orders.StateHash);
    }

    /// <summary>"orders/*" matches /user/engine/orders/&lt;id&gt;; "orders" only the region itself.</summary>
    private static bool Matches(string crashedPath, string target)
    {
        var relative = crashedPath[(crashedPath.IndexOf("/user/engine/", StringComparison.Ordinal) + "/user/engine/".Length)..];
        if (!target.EndsWith("/*", StringComparison.Ordinal)) return relative == target;
        var parent = target[..^2];
        return relative.StartsWith(parent + "/", StringComparison.Ordinal) && !relative[(parent.Length + 1)..].Contains('/');
    }

    private void Report(ChaosPhase phase, int seed, int planned, ChaosRun clean, ChaosRun chaotic, Dictionary<string, int> byTarget)
    {
        var counts = new
        {
            suite = "engine",
            phase = phase.ToString(),
            seed,
            days = Days,
            crashes_per_target = CrashesPerTarget,
            planned,
            crashed = chaotic.Crashed.Count,
            crashed_by_target = byTarget,
            restarts_alive = chaotic.Restarts,
            barriers = chaotic.Barriers,
            busy_barriers = chaotic.BusyBarriers,
            quotes = chaotic.Replay.Quotes,
            signals = chaotic.Replay.Records.Signals,
            signals_clean = clean.Replay.Records.Signals,
            records_hash_equal = clean.Replay.Records.Hash == chaotic.Replay.Records.Hash,
            orders = chaotic.Orders.Orders,
            orders_clean = clean.Orders.Orders,
            broker_submissions = chaotic.BrokerSubmissionsByOrder.Values.Sum(),
            duplicate_submissions = chaotic.DuplicateSubmissions,
            fills = chaotic.Orders.Fills,
            fills_clean = clean.Orders.Fills,
            state_hash_equal = clean.Orders.StateHash == chaotic.Orders.StateHash,
            state_hash = chaotic.Orders.StateHash,
            elapsed_s = Math.Round(chaotic.Replay.Elapsed.TotalSeconds, 2),
        };
        var json = JsonSerializer.Serialize(counts);
        output.WriteLine(json);
        if (Environment.GetEnvironmentVariable("HUEYP_CHAOS_OUT") is { Length: > 0 } path)
            File.AppendAllText(path, json + Environment.NewLine);
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
}
