using System.Globalization;
using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Health;
using HueyP.Engine.Modes;
using HueyP.Persistence;

namespace HueyP.Engine.Repair;

/// <summary>
/// The journal outage runbook (exec path, target "journal"):
/// <list type="number">
/// <item>reopen the journal: read the mode stream's highest sequence number (reads work again);</item>
/// <item>shadow test: <see cref="ShadowProbes"/> probe writes through the journal breaker, <see cref="ShadowSpacing"/>
/// apart — synthetic rows on the probe stream, never an order — whose success verifies the exec path;</item>
/// <item>switch back: make sure the journal breaker is closed (reset by "repair" if a probe closed it not yet), so new
/// entries are allowed once the ladder's dwell completes.</item>
/// </list>
/// </summary>
public sealed record JournalRunbook(PersistenceStore Store, IActorRef Probe, IActorRef Breakers)
{
    public const string Name = "journal-outage";
    public int ShadowProbes { get; init; } = 5;
    public TimeSpan ShadowSpacing { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxAttemptsPerStep { get; init; } = 100;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public Runbook Build() => new(Name, HealthPath.Exec, Dependencies.Journal,
    [
        new RunbookStep(new RepairStep(RepairStepKind.RebuildProjection, "reopen the journal and read the mode stream back", TimeSpan.FromSeconds(5)), ReopenAsync),
        new RunbookStep(new RepairStep(RepairStepKind.ShadowTest, $"{ShadowProbes} shadow probe writes through the journal breaker", ShadowSpacing * ShadowProbes), ShadowAsync),
        new RunbookStep(new RepairStep(RepairStepKind.SwitchBack, "close the journal breaker: new entries once the dwell completes", TimeSpan.FromSeconds(1)), SwitchBackAsync),
    ])
    {
        MaxAttemptsPerStep = MaxAttemptsPerStep,
        RetryDelay = RetryDelay,
    };

    private async Task<RepairStepOutcome> ReopenAsync(RepairStepContext context, CancellationToken ct)
    {
        var highest = await Store.Journal.ReadHighestSequenceNrAsync(ModeActor.PersistenceIdValue, 0, ct).ConfigureAwait(false);
        return RepairStepOutcome.Ok($"journal readable: {ModeActor.PersistenceIdValue} at #{highest}");
    }

    private async Task<RepairStepOutcome> ShadowAsync(RepairStepContext context, CancellationToken ct)
    {
        var latencies = new List<double>();
        for (var i = 1; i <= ShadowProbes; i++)
        {
            var result = await Probe.Ask<JournalProbeResult>(ProbeJournalNow.Instance, AskTimeout, ct).ConfigureAwait(false);
            if (!result.Success) return RepairStepOutcome.Failed($"shadow probe {i}/{ShadowProbes} failed: {result.Error}");
            latencies.Add(result.LatencyMs);
            if (i < ShadowProbes) await Task.Delay(ShadowSpacing, context.Clock, ct).ConfigureAwait(false);
        }
        latencies.Sort();
        return RepairStepOutcome.Ok($"{ShadowProbes}/{ShadowProbes} shadow probe writes ok, median {latencies[latencies.Count / 2].ToString("0.#", CultureInfo.InvariantCulture)} ms");
    }

    private async Task<RepairStepOutcome> SwitchBackAsync(RepairStepContext context, CancellationToken ct)
    {
        var status = await Breakers.Ask<BreakersStatus>(GetBreakers.Instance, AskTimeout, ct).ConfigureAwait(false);
        if (status.StatusOf(Dependencies.Journal) == BreakerStatus.Closed) return RepairStepOutcome.Ok("journal breaker closed");
        var view = await Breakers.Ask<BreakerView>(new ResetBreaker(Dependencies.Journal, "journal verified by shadow probe writes", "repair"), AskTimeout, ct).ConfigureAwait(false);
        return view.Status == BreakerStatus.Closed ? RepairStepOutcome.Ok("journal breaker reset") : RepairStepOutcome.Failed($"journal breaker still {view.Status}");
    }
}
