using System.Collections.Immutable;
using HueyP.Domain.Health;

namespace HueyP.Domain.Modes;

public enum RepairStepKind
{
    RestartListener,
    RebindPort,
    ReconnectBroker,
    ReloadFeatures,
    RebuildProjection,
    /// <summary>Send shadow traffic over the repaired primary; its success is what the mode manager's PrimaryVerified reports.</summary>
    ShadowTest,
    /// <summary>Move traffic back to the primary once the mode manager has cleared the condition.</summary>
    SwitchBack,
}

public enum RepairStepStatus { Pending, Running, Succeeded, Failed, Skipped }

public enum RepairPlanStatus { Pending, Running, Succeeded, Failed }

public sealed record RepairStep(
    RepairStepKind Kind,
    string Description,
    TimeSpan Estimate,
    RepairStepStatus Status = RepairStepStatus.Pending,
    int Attempts = 0,
    DateTimeOffset? StartedAt = null,
    string? Detail = null)
{
    public bool IsDone => Status is RepairStepStatus.Succeeded or RepairStepStatus.Skipped;
}

/// <summary>Progress of a repair; the actor persists these and replays them with <see cref="RepairPlan.Apply"/>.</summary>
public interface IRepairEvent
{
    string PlanId { get; }
    DateTimeOffset At { get; }
}

public sealed record RepairPlanCreated(string PlanId, DateTimeOffset At, HealthPath Path, string Target, IReadOnlyList<RepairStep> Steps, int MaxAttemptsPerStep) : IRepairEvent;
public sealed record RepairStepStarted(string PlanId, DateTimeOffset At, int Index, int Attempt) : IRepairEvent;
public sealed record RepairStepSucceeded(string PlanId, DateTimeOffset At, int Index, string Detail) : IRepairEvent;
public sealed record RepairStepSkipped(string PlanId, DateTimeOffset At, int Index, string Reason) : IRepairEvent;
/// <summary><see cref="GaveUp"/>: the step used its last attempt and the plan has failed.</summary>
public sealed record RepairStepFailed(string PlanId, DateTimeOffset At, int Index, string Error, bool GaveUp) : IRepairEvent;

/// <summary>The answer to one repair input: accepted with its event, or refused with an error and the plan unchanged.</summary>
public sealed record RepairDecision(bool Accepted, RepairPlan Plan, IRepairEvent? Event, string? Error);

/// <summary>
/// A runbook being executed for one degraded path: ordered steps, one at a time, each retried up to
/// <see cref="MaxAttemptsPerStep"/> times. Pure data plus transitions; the repair actor does the work and reports.
/// </summary>
public sealed record RepairPlan(
    string Id,
    HealthPath Path,
    string Target,
    ImmutableList<RepairStep> Steps,
    int MaxAttemptsPerStep,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastAt)
{
    public RepairPlanStatus Status =>
        Steps.Any(s => s.Status == RepairStepStatus.Failed && s.Attempts >= MaxAttemptsPerStep) ? RepairPlanStatus.Failed
        : Steps.All(s => s.IsDone) ? RepairPlanStatus.Succeeded
        : Steps.Any(s => s.Status != RepairStepStatus.Pending) ? RepairPlanStatus.Running
        : RepairPlanStatus.Pending;

    /// <summary>Share of steps done, 0..1.</summary>
    public double Progress => Steps.Count == 0 ? 1 : (double)Steps.Count(s => s.IsDone) / Steps.Count;

    /// <summary>Index of the step running or next to run; null when the plan is over.</summary>
    public int? CurrentIndex
    {
        get
        {
            if (Status is RepairPlanStatus.Succeeded or RepairPlanStatus.Failed) return null;
            var i = Steps.FindIndex(s => !s.IsDone);
            return i < 0 ? null : i;
        }
    }

    public static RepairDecision Create(string id, HealthPath path, string target, DateTimeOffset at, IReadOnlyList<RepairStep>? steps = null, int maxAttemptsPerStep = 3)
    {
        var empty = new RepairPlan(id ?? "", path, target ?? "", [], maxAttemptsPerStep, at, at);
        if (string.IsNullOrWhiteSpace(id)) return new(false, empty, null, "a repair plan needs an id");
        if (!Enum.IsDefined(path)) return new(false, empty, null, $"unknown path {path}");
        if (string.IsNullOrWhiteSpace(target)) return new(false, empty, null, "a repair plan needs a target (transport, broker, feed)");
        if (maxAttemptsPerStep is < 1 or > 100) return new(false, empty, null, $"max attempts per step must be in [1,100], got {maxAttemptsPerStep}");
        steps ??= Runbooks.For(path);
        if (steps.Count == 0) return new(false, empty, null, "a repair plan needs at least one step");
        if (steps.Any(s => s.Estimate < TimeSpan.Zero)) return new(false, empty, null, "step estimates must not be negative");
        var fresh = steps.Select(s => new RepairStep(s.Kind, s.Description, s.Estimate)).ToList();
        var created = new RepairPlanCreated(id, at, path, target, fresh, maxAttemptsPerStep);
        return new(true, FromCreated(created), created, null);
    }

    public static RepairPlan FromCreated(RepairPlanCreated e) =>
        new(e.PlanId, e.Path, e.Target, [.. e.Steps], e.MaxAttemptsPerStep, e.At, e.At);

    /// <summary>Start the current step (again, after a failure with attempts left).</summary>
    public RepairDecision StartNext(DateTimeOffset at)
    {
        if (Check(at) is { } error) return Refuse(error);
        if (CurrentIndex is not { } i) return Refuse($"plan {Id} is {Status}; nothing to start");
        var step = Steps[i];
        if (step.Status == RepairStepStatus.Running) return Refuse($"step {i} ({step.Kind}) is already running");
        return Accept(new RepairStepStarted(Id, at, i, step.Attempts + 1));
    }

    public RepairDecision Succeed(DateTimeOffset at, string detail)
    {
        if (Running(at) is { } error) return Refuse(error);
        return Accept(new RepairStepSucceeded(Id, at, CurrentIndex!.Value, detail ?? ""));
    }

    public RepairDecision Fail(DateTimeOffset at, string error)
    {
        if (Running(at) is { } refusal) return Refuse(refusal);
        if (string.IsNullOrWhiteSpace(error)) return Refuse("a failed step needs an error");
        var i = CurrentIndex!.Value;
        return Accept(new RepairStepFailed(Id, at, i, error, GaveUp: Steps[i].Attempts >= MaxAttemptsPerStep));
    }

    /// <summary>Skip the current step when it is not needed (the listener restarted fine: no new port).</summary>
    public RepairDecision Skip(DateTimeOffset at, string reason)
    {
        if (Check(at) is { } error) return Refuse(error);
        if (CurrentIndex is not { } i) return Refuse($"plan {Id} is {Status}; nothing to skip");
        if (Steps[i].Status == RepairStepStatus.Running) return Refuse($"step {i} ({Steps[i].Kind}) is running; report its outcome first");
        if (string.IsNullOrWhiteSpace(reason)) return Refuse("skipping a step needs a reason");
        return Accept(new RepairStepSkipped(Id, at, i, reason));
    }

    /// <summary>
    /// Estimated time to recovery: the steps still to do (the running one less its elapsed time), or the dwell the
    /// mode manager still needs, whichever is longer: both run side by side and recovery needs both.
    /// Null when the plan has failed (no estimate; a new plan or an operator is needed).
    /// </summary>
    public TimeSpan? EstimateToRecovery(DateTimeOffset now, TimeSpan? dwellRemaining)
    {
        if (Status == RepairPlanStatus.Failed) return null;
        var steps = TimeSpan.Zero;
        foreach (var s in Steps.Where(s => !s.IsDone))
        {
            var left = s.Status == RepairStepStatus.Running && s.StartedAt is { } started ? s.Estimate - (now - started) : s.Estimate;
            if (left > TimeSpan.Zero) steps += left;
        }
        var dwell = dwellRemaining is { } d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return steps > dwell ? steps : dwell;
    }

    public RepairPlan Apply(IRepairEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.PlanId != Id) throw new ArgumentException($"event for plan '{e.PlanId}' applied to plan '{Id}'", nameof(e));
        var next = e switch
        {
            RepairPlanCreated c => FromCreated(c),
            RepairStepStarted s => Update(s.Index, st => st with { Status = RepairStepStatus.Running, Attempts = s.Attempt, StartedAt = s.At }),
            RepairStepSucceeded s => Update(s.Index, st => st with { Status = RepairStepStatus.Succeeded, Detail = s.Detail }),
            RepairStepSkipped s => Update(s.Index, st => st with { Status = RepairStepStatus.Skipped, Detail = s.Reason }),
            RepairStepFailed f => Update(f.Index, st => st with { Status = RepairStepStatus.Failed, Detail = f.Error }),
            _ => throw new ArgumentException($"unknown repair event {e.GetType().Name}", nameof(e)),
        };
        return next with { LastAt = e.At > LastAt ? e.At : LastAt };
    }

    private RepairPlan Update(int index, Func<RepairStep, RepairStep> change) => this with { Steps = Steps.SetItem(index, change(Steps[index])) };

    private string? Check(DateTimeOffset at) =>
        at < LastAt ? $"time {at:O} is before the plan's last event {LastAt:O}" : null;

    private string? Running(DateTimeOffset at) =>
        Check(at) ?? (CurrentIndex is { } i && Steps[i].Status == RepairStepStatus.Running ? null : $"plan {Id}: no step is running");

    private RepairDecision Refuse(string error) => new(false, this, null, error);

    private RepairDecision Accept(IRepairEvent e) => new(true, Apply(e), e, null);
}

/// <summary>The default runbook of each path. Estimates are starting points for the ETA, tuned from experience.</summary>
public static class Runbooks
{
    public static IReadOnlyList<RepairStep> For(HealthPath path) => path switch
    {
        HealthPath.Comm =>
        [
            new(RepairStepKind.RestartListener, "restart the bridge listener", TimeSpan.FromSeconds(10)),
            new(RepairStepKind.RebindPort, "rebind the listener on a new port", TimeSpan.FromSeconds(5)),
            new(RepairStepKind.ShadowTest, "shadow traffic over the primary transport", TimeSpan.FromSeconds(30)),
            new(RepairStepKind.SwitchBack, "switch traffic back to the primary transport", TimeSpan.FromSeconds(5)),
        ],
        HealthPath.Signal =>
        [
            new(RepairStepKind.ReloadFeatures, "reload features from the primary data path", TimeSpan.FromSeconds(30)),
            new(RepairStepKind.ShadowTest, "shadow decisions on live features", TimeSpan.FromSeconds(30)),
            new(RepairStepKind.SwitchBack, "switch decisions back to live features", TimeSpan.FromSeconds(5)),
        ],
        HealthPath.Exec =>
        [
            new(RepairStepKind.ReconnectBroker, "reconnect the broker session", TimeSpan.FromSeconds(20)),
            new(RepairStepKind.RebuildProjection, "rebuild the order/position projection from the journal", TimeSpan.FromSeconds(60)),
            new(RepairStepKind.ShadowTest, "shadow reads against the broker", TimeSpan.FromSeconds(30)),
            new(RepairStepKind.SwitchBack, "re-enable new entries", TimeSpan.FromSeconds(5)),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown health path"),
    };
}
