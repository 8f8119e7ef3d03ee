using HueyP.Domain.Health;
using HueyP.Domain.Modes;

namespace HueyP.Engine.Repair;

/// <summary>Start a runbook (answered with <see cref="RepairStarted"/>); one runbook per (path, target) runs at a time.</summary>
public sealed record StartRepair(Runbook Runbook);

/// <summary><see cref="AlreadyRunning"/>: a repair of the same path and target was running; its plan id is returned.</summary>
public sealed record RepairStarted(string PlanId, bool AlreadyRunning);

/// <summary>
/// Published on the EventStream at every step of a repair; the mode actor keeps the latest per plan for
/// `hueyp mode show`. <see cref="Steps"/> reads like "1. reconnect the broker session: succeeded (1 attempt) ...".
/// </summary>
public sealed record RepairProgress(
    string PlanId,
    string Runbook,
    HealthPath Path,
    string Target,
    RepairPlanStatus Status,
    double Progress,
    string? CurrentStep,
    IReadOnlyList<string> Steps,
    string LastEvent,
    TimeSpan? EstimateToRecovery,
    DateTimeOffset At)
{
    public bool IsOver => Status is RepairPlanStatus.Succeeded or RepairPlanStatus.Failed;

    public override string ToString() => $"{Runbook} ({Path}/{Target}) {Status} {Progress:P0}: {LastEvent}";
}

