using HueyP.Domain.Agents;
using HueyP.Domain.Gates;
using HueyP.Domain.Policy;
using HueyP.Domain.Reentry;
using HueyP.Domain.Strategy;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Decisions;

/// <summary>The reentry die as it fell for this decision. Face 0 with a null outcome: a fresh entry, no exit to re-enter after.</summary>
public sealed record ReentryRecord(int Face, VolatilityBucket? Bucket, ReentryOutcome? Outcome, double Sizing, string Reason);

public sealed record GateRecord(
    double Overall,
    double Threshold,
    bool Approved,
    IReadOnlyList<GateScore> Scores,
    IReadOnlyList<ConstraintViolation> Violations);

public sealed record AgentRecord(AgentAction Consensus, double Support, string? VetoedBy, IReadOnlyList<AgentVote> Votes);

public sealed record PolicyRecord(PolicyVerdict Verdict, decimal ApprovedQuantity, IReadOnlyList<PolicyReason> Reasons);

/// <summary>
/// Why the engine did (or did not) trade on one signal: every input that mattered and every stage's output.
/// Serialized canonically by <see cref="DecisionJson"/>; identical replays give byte-identical records.
/// </summary>
public sealed record DecisionRecord(
    int SchemaVersion,
    DateTime DecisionTimeUtc,
    string Symbol,
    IndicatorSnapshot Indicators,
    Signal Signal,
    ReentryRecord Reentry,
    GateRecord Gates,
    AgentRecord Agents,
    PolicyRecord Policy,
    OrderIntent? OrderIntent,
    string Outcome,
    string ConfigHash)
{
    public const int CurrentSchemaVersion = 1;
}
