using HueyP.Domain.Breakers;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Modes;

namespace HueyP.Node.Palettes.Modes;

/// <summary>The admin JSON of `hueyp mode ...` (snake_case on the wire): modes by their operator names, durations in seconds.</summary>
public static class ModeWire
{
    public sealed record Transition(DateTimeOffset At, string From, string To, IReadOnlyList<string> Causes);

    public sealed record Condition(string Key, string Mode, string Kind, string? Path, string Cause, DateTimeOffset Since, bool OperatorOnly);

    public sealed record Permissions(bool AllowsNewEntries, bool AllowsExitManagement, bool FlattenPositions, string SignalSource, string Transport);

    public sealed record Status(
        string Mode,
        IReadOnlyList<Condition> Conditions,
        Permissions Permissions,
        IReadOnlyDictionary<string, DateTimeOffset> VerifiedAt,
        DateTimeOffset? DwellSince,
        double? DwellRemainingS,
        DateTimeOffset? RecoveryEta,
        Transition? LastTransition,
        DateTimeOffset AsOf,
        IReadOnlyList<Repair> Repairs,
        int UnjournaledEvents,
        Hold? Hold,
        string LadderMode);

    /// <summary>The operator's hold on new entries (`hueyp mode hold`): who, why, since when.</summary>
    public sealed record Hold(string Who, string Reason, DateTimeOffset Since);

    public sealed record HoldResult(bool Held, string Mode, Transition? Transition, Hold? Hold);

    public static Hold Of(EntryHold h) => new(h.Who, h.Reason, h.Since);

    /// <summary>A runbook's progress (`repairs` in `hueyp mode show`): steps read "1. description: status (n attempts) - detail".</summary>
    public sealed record Repair(
        string PlanId, string Runbook, string Path, string Target, string Status, double Progress, string? CurrentStep,
        IReadOnlyList<string> Steps, string LastEvent, double? EtaS, DateTimeOffset At);

    public sealed record History(IReadOnlyList<Transition> Transitions);

    public sealed record ClearResult(bool Accepted, string Mode, Transition? Transition);

    public sealed record Breaker(
        string Name, string Status, string? Level, DateTimeOffset? OpenUntil, double? RetryInS, int RecentFailures, int TimesOpened,
        string? LastCause, DateTimeOffset? LastEventAt);

    public sealed record BreakerList(IReadOnlyList<Breaker> Breakers, DateTimeOffset AsOf);

    public static Transition Of(ModeChanged c) => new(c.At, c.From.Display(), c.To.Display(), c.Causes);

    public static Status Of(ModeStatus s) => new(
        s.Mode.Display(),
        s.Conditions.Select(c => new Condition(c.Key, c.Mode.Display(), Snake(c.Kind.ToString()), c.Path?.ToString().ToLowerInvariant(), c.Cause, c.Since, c.OperatorOnly)).ToList(),
        new Permissions(s.Permissions.AllowsNewEntries, s.Permissions.AllowsExitManagement, s.Permissions.FlattenPositions,
            Snake(s.Permissions.SignalSource.ToString()), Snake(s.Permissions.Transport.ToString())),
        s.VerifiedAt.ToDictionary(v => v.Key.ToString().ToLowerInvariant(), v => v.Value),
        s.DwellSince, s.DwellRemaining?.TotalSeconds, s.RecoveryEta, s.LastTransition is { } t ? Of(t) : null, s.AsOf,
        s.Repairs.Select(r => new Repair(r.PlanId, r.Runbook, r.Path.ToString().ToLowerInvariant(), r.Target, Snake(r.Status.ToString()), r.Progress,
            r.CurrentStep, r.Steps, r.LastEvent, r.EstimateToRecovery?.TotalSeconds, r.At)).ToList(),
        s.UnjournaledEvents,
        s.Hold is { } hold ? Of(hold) : null,
        s.LadderMode.Display());

    public static Breaker Of(BreakerView b) => new(
        b.Dependency, Snake(b.Status.ToString()), b.Level?.ToString().ToLowerInvariant(), b.OpenUntil, b.RetryIn?.TotalSeconds,
        b.RecentFailures, b.TimesOpened, b.LastCause, b.LastEventAt);

    public static BreakerList Of(BreakersStatus s) => new(s.Breakers.Select(Of).ToList(), s.AsOf);

    /// <summary>HalfOpen -> half_open, CachedFeatures -> cached_features: enum values in the admin API's spelling.</summary>
    public static string Snake(string pascal) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(pascal);

    internal static bool IsOpen(string status) => status != Snake(nameof(BreakerStatus.Closed));
}
