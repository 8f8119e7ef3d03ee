using System.Collections.Immutable;
using HueyP.Domain.Health;

namespace HueyP.Domain.Modes;

/// <summary>
/// The mode ladder as data. Built only by applying <see cref="IModeEvent"/>s, so replaying the journal gives the same
/// state. <see cref="History"/> keeps the last <see cref="HistoryLimit"/> transitions.
/// </summary>
public sealed record ModeState(
    Mode Mode,
    ImmutableSortedDictionary<string, ModeCondition> Conditions,
    ImmutableDictionary<HealthPath, DateTimeOffset> VerifiedAt,
    DateTimeOffset? DwellSince,
    ImmutableList<ModeChanged> History,
    DateTimeOffset? LastAt)
{
    public const int HistoryLimit = 500;

    public static ModeState Initial { get; } = new(
        Mode.Normal, ImmutableSortedDictionary<string, ModeCondition>.Empty, ImmutableDictionary<HealthPath, DateTimeOffset>.Empty,
        null, [], null);

    /// <summary>Active conditions, most severe first: the answer to "why are we degraded?".</summary>
    public IReadOnlyList<ModeCondition> ActiveConditions =>
        Conditions.Values.OrderByDescending(c => c.Mode).ThenBy(c => c.Since).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();

    /// <summary>The mode the active conditions call for: the most severe one, NORMAL when none.</summary>
    public Mode RequiredMode => Conditions.Count == 0 ? Mode.Normal : Conditions.Values.Max(c => c.Mode);

    public IEnumerable<ModeCondition> ConditionsOn(HealthPath path) => Conditions.Values.Where(c => c.Path == path);

    /// <summary>Transitions within [from, to), oldest first.</summary>
    public IReadOnlyList<ModeChanged> HistoryBetween(DateTimeOffset from, DateTimeOffset to) =>
        History.Where(h => h.At >= from && h.At < to).ToList();

    public ModeState Apply(IModeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var next = e switch
        {
            ConditionRaised r => this with { Conditions = Conditions.SetItem(r.Condition.Key, r.Condition) },
            ConditionCleared c => ClearCondition(c.Key),
            PathVerified v => this with { VerifiedAt = VerifiedAt.SetItem(v.Path, v.At) },
            VerificationRevoked v => this with { VerifiedAt = VerifiedAt.Remove(v.Path) },
            RecoveryDwellStarted d => this with { DwellSince = d.At },
            RecoveryDwellBroken => this with { DwellSince = null },
            ModeChanged m => this with
            {
                Mode = m.To,
                History = (History.Count >= HistoryLimit ? History.RemoveAt(0) : History).Add(m),
            },
            _ => throw new ArgumentException($"unknown mode event {e.GetType().Name}", nameof(e)),
        };
        return next with { LastAt = LastAt is { } last && last > e.At ? last : e.At };
    }

    private ModeState ClearCondition(string key)
    {
        if (!Conditions.TryGetValue(key, out var cleared)) return this;
        var conditions = Conditions.Remove(key);
        // A verification serves the outage it verified; once nothing on the path is degraded it is spent.
        var verified = cleared.Path is { } path && !conditions.Values.Any(c => c.Path == path) ? VerifiedAt.Remove(path) : VerifiedAt;
        return this with { Conditions = conditions, VerifiedAt = verified };
    }
}
