using HueyP.Domain.Agents;

namespace HueyP.Node.Telemetry;

/// <summary>
/// What the dashboard shows, built by the telemetry actor after every sample; immutable, so the web side reads it
/// without touching the actor. A null section means its source is not running on this node (shown as n/a).
/// </summary>
public sealed record TelemetrySnapshot(
    long Version,
    DateTimeOffset AsOf,
    ModeSection? Mode,
    ScoreSection Scores,
    IReadOnlyList<SymbolSection> Symbols,
    DecisionSection? Decisions,
    IReadOnlyList<BreakerLine> Breakers,
    RouterHealthFile Router,
    IReadOnlyList<AgentSection>? Agents,
    NavFile Nav,
    PositionsFile Positions,
    RiskSnapshotFile Risk,
    KpisFile Kpis,
    IReadOnlyList<ActorLoad> BusiestActors,
    IReadOnlyDictionary<string, long> RestartsByActorType,
    IReadOnlyList<TelemetryEvent> Timeline,
    SloSection Slo,
    long TicksTotal,
    KillSwitchSection? KillSwitch,
    IReadOnlyDictionary<string, long>? OrdersByState,
    ClusterSection? Cluster)
{
    public static TelemetrySnapshot Empty(DateTimeOffset now, TelemetrySettings settings)
    {
        var state = new TelemetryState(settings, TelemetryText.None, now);
        return TelemetrySnapshotBuilder.Build(state, now, settings, 0);
    }
}

public sealed record ModeSection(
    string Mode, IReadOnlyList<ConditionLine> Conditions, bool? NewEntriesAllowed, string? Transport, string? SignalSource,
    DateTimeOffset? RecoveryEta, double? DwellRemainingS, TransitionLine? LastTransition, RepairStep[] Runbook, HoldLine? Hold = null);

/// <summary>The operator's hold on new entries (`hueyp mode hold`, or the dashboard's control).</summary>
public sealed record HoldLine(string Who, string Reason, DateTimeOffset Since);

public sealed record ConditionLine(string Key, string Kind, string Mode, string? Path, string Cause, DateTimeOffset Since);

public sealed record TransitionLine(DateTimeOffset At, string From, string To, IReadOnlyList<string> Causes);

public sealed record RepairStep(string Step, string State);

public sealed record ScoreSection(double? Overall, GateCard[] Cards, IReadOnlyList<ScorePoint> History, string Source);

/// <summary>One gate card: score 0..100 (null = n/a), its band (green ≥ 85, amber 70–84, red &lt; 70) and what to do.</summary>
public sealed record GateCard(string Name, double? Score, string Band, IReadOnlyList<string> KeyMetrics, IReadOnlyList<string> Failing, string NextStep)
{
    public static string BandOf(double? score) => score switch
    {
        null => "na",
        >= 85 => "green",
        >= 70 => "amber",
        _ => "red",
    };
}

public sealed record ClusterSection(string Role, long Epoch, double? LeaseValidForMs, string? LastLoss, string? Error);

public sealed record KillSwitchSection(bool Active, string? Reason, string? Who, DateTime? ChangedUtc);

public sealed record SymbolSection(string Symbol, string State, long Quotes, double? TicksPerS, long Signals, long Intents, int Restarts, DateTime? LastQuoteUtc);

public sealed record DecisionSection(long Signals, long Intents, IReadOnlyDictionary<string, long> RejectionsByReason, long WriteErrors, string Hash);

public sealed record AgentSection(string Agent, long Votes, IReadOnlyList<VoteLine> Latest);

public sealed record VoteLine(string Symbol, DateTime DecisionTimeUtc, string Action, double? Confidence, string Reason, bool Veto);

/// <summary>The SLO strip; a null figure has no source on this node (or no sample yet), shown as n/a.</summary>
public sealed record SloSection(double? TickToDecisionP99Ms, double? OrderAckP99Ms, double? JournalWriteP99Ms, double? BridgeRoundTripMs, double? ErrorBudgetLeftFrac);

internal static class AgentVoteNames
{
    public static bool IsVeto(AgentAction action) => action is AgentAction.Hold or AgentAction.EmergencyStop;
}
