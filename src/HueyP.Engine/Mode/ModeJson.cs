using System.Collections.Immutable;
using System.Text.Json.Serialization;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Persistence.Serialization;

namespace HueyP.Engine.Modes;

/// <summary>
/// The mode state in a shape JSON can carry (plain lists and dictionaries); the ladder's own state uses immutable
/// sorted collections that are the domain's business, not the journal format's.
/// </summary>
public sealed record ModeSnapshot(
    Mode Mode,
    IReadOnlyList<ModeCondition> Conditions,
    IReadOnlyDictionary<HealthPath, DateTimeOffset> VerifiedAt,
    DateTimeOffset? DwellSince,
    IReadOnlyList<ModeChanged> History,
    DateTimeOffset? LastAt)
{
    /// <summary>The operator's hold on new entries when the snapshot was taken (absent in snapshots from before holds existed).</summary>
    public EntryHold? Hold { get; init; }

    /// <summary>Hold changes that moved the effective mode, oldest first (for `hueyp mode history`).</summary>
    public IReadOnlyList<ModeChanged>? HoldTransitions { get; init; }

    public static ModeSnapshot From(ModeState state) => new(
        state.Mode, state.Conditions.Values.ToList(), state.VerifiedAt.ToDictionary(), state.DwellSince, state.History.ToList(), state.LastAt);

    public ModeState ToState() => ModeState.Initial with
    {
        Mode = Mode,
        Conditions = Conditions.ToImmutableSortedDictionary(c => c.Key, c => c, StringComparer.Ordinal),
        VerifiedAt = VerifiedAt.ToImmutableDictionary(),
        DwellSince = DwellSince,
        History = [.. History],
        LastAt = LastAt,
    };
}

// Enums as names: the journal is read by people (`hueyp journal events --pid engine-mode`) and must survive reordering.
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConditionRaised))]
[JsonSerializable(typeof(ConditionCleared))]
[JsonSerializable(typeof(PathVerified))]
[JsonSerializable(typeof(VerificationRevoked))]
[JsonSerializable(typeof(RecoveryDwellStarted))]
[JsonSerializable(typeof(RecoveryDwellBroken))]
[JsonSerializable(typeof(ModeChanged))]
[JsonSerializable(typeof(ModeSnapshot))]
[JsonSerializable(typeof(EntryHoldChanged))]
[JsonSerializable(typeof(Health.JournalProbeWritten))]
internal sealed partial class ModeJsonContext : JsonSerializerContext;

/// <summary>
/// The mode ladder's journal format (persistence id <see cref="ModeActor.PersistenceIdValue"/>). Manifests are part of
/// the format: never rename one; add a .v2 with an upcaster instead.
/// </summary>
public static class ModeSerialization
{
    public static EventSerializer Register(EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        var c = ModeJsonContext.Default;
        return serializer
            .Register("ModeConditionRaised.v1", c.ConditionRaised)
            .Register("ModeConditionCleared.v1", c.ConditionCleared)
            .Register("ModePathVerified.v1", c.PathVerified)
            .Register("ModeVerificationRevoked.v1", c.VerificationRevoked)
            .Register("ModeRecoveryDwellStarted.v1", c.RecoveryDwellStarted)
            .Register("ModeRecoveryDwellBroken.v1", c.RecoveryDwellBroken)
            .Register("ModeChanged.v1", c.ModeChanged)
            .Register("ModeSnapshot.v1", c.ModeSnapshot)
            .Register("ModeEntryHoldChanged.v1", c.EntryHoldChanged)
            // The health sampler's journal probe (stream health-journal-probe) lives beside the ladder it serves.
            .Register("HealthJournalProbe.v1", c.JournalProbeWritten);
    }
}
