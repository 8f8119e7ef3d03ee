using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Health;
using HueyP.Engine.Modes;
using HueyP.Engine.Repair;
using HueyP.Persistence;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace HueyP.Engine.Tests.Health;

/// <summary>
/// A live engine on SQLite whose journal stops taking writes (another connection holds the write lock, as a stuck
/// backup or a second writer would): the journal probe trips the journal breaker, the engine enters DEGRADED_EXEC
/// without writing, the journal runbook waits for the journal, verifies it with shadow probe writes, and the engine
/// returns to NORMAL with every mode event — those acknowledged before the outage and those decided during it — in
/// the journal. Virtual time for the engine's clocks; the database calls are real, so the test waits on conditions.
/// </summary>
public sealed class JournalOutageTests : JournaledTestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // A short busy timeout: a locked journal fails a write in 200 ms instead of 10 s.
    public JournalOutageTests(ITestOutputHelper output) : base(output, "outage", s => s with { SqliteBusyTimeout = TimeSpan.FromMilliseconds(200) })
    {
    }

    private T Ask<T>(string path, object message)
    {
        Sys.ActorSelection(path).Tell(message, TestActor);
        return ExpectMsg<T>(Wait);
    }

    private ModeStatus Mode() => Ask<ModeStatus>("/user/engine/mode", GetMode.Instance);

    private BreakerView JournalBreaker() => Ask<BreakersStatus>("/user/engine/breakers", GetBreakers.Instance).Breakers.Single(b => b.Dependency == Dependencies.Journal);

    /// <summary>
    /// Advances virtual time a second at a time until <paramref name="condition"/> holds; after each second the journal
    /// probe has finished its real database call (a locked SQLite write fails only after its busy timeout).
    /// </summary>
    private void RunUntil(Func<bool> condition, int maxSeconds, string what)
    {
        for (var i = 0; i < maxSeconds; i++)
        {
            if (condition()) return;
            Advance(TimeSpan.FromSeconds(1));
            AwaitCondition(() => !Ask<JournalProbeStatus>("/user/engine/journal-probe", GetJournalProbeStatus.Instance).Busy, Wait, TimeSpan.FromMilliseconds(10));
            Ask<HealthSampled>("/user/engine/health", GetHealth.Instance);
        }
        Assert.True(condition(), $"not within {maxSeconds} virtual seconds: {what}");
    }

    private async Task<List<string>> JournaledTransitionsAsync()
    {
        var transitions = new List<string>();
        await Store.Journal.ReplayMessagesAsync(ModeActor.PersistenceIdValue, 1, long.MaxValue, long.MaxValue, r =>
        {
            if (r.Payload is ModeChanged c) transitions.Add(c.ToString());
        });
        return transitions;
    }

    [Fact]
    public async Task A_locked_journal_trips_its_breaker_enters_DEGRADED_EXEC_repairs_and_verifies_then_returns_to_NORMAL_with_every_mode_event_journaled()
    {
        await using var host = await EngineHost.StartAsync(Sys, TestData.Settings() with { Mode = EngineMode.Live });
        var progress = CreateTestProbe();
        Sys.EventStream.Subscribe(progress.Ref, typeof(RepairProgress));

        // Acknowledged before the outage: a veto and its clearing, both journaled.
        Assert.Equal(Domain.Modes.Mode.SafeMode, Ask<ModeCommandResult>("/user/engine/mode", new RiskVeto(default, "risk", "test veto")).Mode);
        Assert.Equal(Domain.Modes.Mode.Normal, Ask<ModeCommandResult>("/user/engine/mode", new OperatorClear(default, "test over", "alice")).Mode);
        RunUntil(() => Store.Journal.ReadHighestSequenceNrAsync(JournalProbeActor.PersistenceIdValue).Result > 0, 30, "a first successful probe");
        var before = await JournaledTransitionsAsync();
        Assert.Equal(2, before.Count);

        await using (var locker = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync();
            }

            RunUntil(() => JournalBreaker().Status == BreakerStatus.Open, 60, "the journal breaker opening on failed probe writes");
            RunUntil(() => Mode().Mode == Domain.Modes.Mode.DegradedExec, 5, "DEGRADED_EXEC");
            var degraded = Mode();
            Assert.Contains(degraded.Conditions, c => c.Key == "health.exec");
            Assert.False(degraded.Permissions.AllowsNewEntries);
            // Decided, not journaled: the journal cannot take it.
            Assert.True(degraded.UnjournaledEvents > 0);
            Assert.Equal(before, await JournaledTransitionsAsync());
            // The journal runbook starts by itself and cannot verify a journal that refuses writes.
            RunUntil(() => Mode().Repairs.Any(r => r.Runbook == JournalRunbook.Name && r.LastEvent.Contains("failed")), 60, "the shadow test failing while the journal is locked");
            Assert.Equal(Domain.Modes.Mode.DegradedExec, Mode().Mode);

            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        // The breaker half-opens after its 60 s, the next probe closes it, the runbook's shadow probes verify the exec
        // path, and after the 20 s dwell the ladder switches back.
        RunUntil(() => Mode().Mode == Domain.Modes.Mode.Normal, 400, "NORMAL after the journal returned");
        var normal = Mode();
        Assert.Equal(0, normal.UnjournaledEvents);
        Assert.Equal(BreakerStatus.Closed, JournalBreaker().Status);
        var repair = normal.Repairs.Last(r => r.Runbook == JournalRunbook.Name);
        Assert.Equal(RepairPlanStatus.Succeeded, repair.Status);
        Assert.Contains(repair.Steps, s => s.Contains("shadow probe writes ok", StringComparison.Ordinal));
        Assert.Contains(normal.LastTransition!.Causes, c => c.Contains("exec primary verified", StringComparison.Ordinal));

        // Nothing lost: the journal holds the transitions acknowledged before, the one decided during the outage and
        // the way back, in order — exactly the history the actor shows.
        var after = await JournaledTransitionsAsync();
        Assert.Equal(before, after.Take(2));
        Assert.Equal(Mode().LastTransition!.ToString(), after[^1]);
        Assert.Equal(
            [(Domain.Modes.Mode.Normal, Domain.Modes.Mode.DegradedExec), (Domain.Modes.Mode.DegradedExec, Domain.Modes.Mode.Normal)],
            Ask<ModeHistory>("/user/engine/mode", new GetModeHistory()).Transitions.Skip(2).Select(t => (t.From, t.To)));
        Assert.Equal(Ask<ModeHistory>("/user/engine/mode", new GetModeHistory()).Transitions.Select(t => t.ToString()), after);
    }
}
