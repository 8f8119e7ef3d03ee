using HueyP.Domain.Health;

namespace HueyP.Domain.Modes;

/// <summary>Every change of the mode state; the actor persists these and replays them with <see cref="ModeState.Apply"/>.</summary>
public interface IModeEvent
{
    DateTimeOffset At { get; }
}

public sealed record ConditionRaised(DateTimeOffset At, ModeCondition Condition) : IModeEvent;

/// <summary><see cref="ClearedBy"/> names the operator when one cleared it; null when recovery did.</summary>
public sealed record ConditionCleared(DateTimeOffset At, string Key, string Cause, string? ClearedBy) : IModeEvent;

public sealed record PathVerified(DateTimeOffset At, HealthPath Path, string Evidence) : IModeEvent;

/// <summary>A path failed again after it had been verified: the verification no longer counts.</summary>
public sealed record VerificationRevoked(DateTimeOffset At, HealthPath Path, string Cause) : IModeEvent;

/// <summary>Every gate reached its recovery threshold; the dwell clock starts.</summary>
public sealed record RecoveryDwellStarted(DateTimeOffset At) : IModeEvent;

/// <summary>A gate fell below its recovery threshold before the dwell completed: the clock starts over next time.</summary>
public sealed record RecoveryDwellBroken(DateTimeOffset At, string Cause) : IModeEvent;

/// <summary>The transition itself, with the reasons: "why are we degraded?" is answered by <see cref="Causes"/>.</summary>
public sealed record ModeChanged(DateTimeOffset At, Mode From, Mode To, IReadOnlyList<string> Causes) : IModeEvent
{
    public override string ToString() => $"{At:O} {From.Display()} -> {To.Display()}: {string.Join("; ", Causes)}";
}
