using HueyP.Actors;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;

namespace HueyP.Engine.Repair;

/// <summary>What a step's work came to: success with what it found, or failure with why (the step is retried).</summary>
public sealed record RepairStepOutcome(bool Success, string Detail)
{
    public static RepairStepOutcome Ok(string detail) => new(true, detail);
    public static RepairStepOutcome Failed(string error) => new(false, error);
}

/// <summary>What a step may use: the actor system (to ask actors) and its clock (virtual in tests).</summary>
public sealed record RepairStepContext(ActorSystem System, string PlanId, int Attempt)
{
    public TimeProvider Clock => System.Settings.TimeProvider;
}

/// <summary>One step of a runbook: the domain's description and estimate, and the work that performs it.</summary>
public sealed record RunbookStep(RepairStep Step, Func<RepairStepContext, CancellationToken, Task<RepairStepOutcome>> Run);

/// <summary>
/// A repair for one degraded path, run by a <see cref="RepairActor"/>: ordered steps, each retried after
/// <see cref="RetryDelay"/> up to <see cref="MaxAttemptsPerStep"/> times. A <see cref="RepairStepKind.ShadowTest"/> step
/// that succeeds reports its detail to the mode ladder as the path's verification (PrimaryVerified); the ladder still
/// waits for its dwell before it switches back.
/// </summary>
public sealed record Runbook(string Name, HealthPath Path, string Target, IReadOnlyList<RunbookStep> Steps)
{
    public int MaxAttemptsPerStep { get; init; } = 20;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(15);
}
