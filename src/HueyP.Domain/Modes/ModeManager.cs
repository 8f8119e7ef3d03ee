using System.Globalization;
using HueyP.Domain.Health;

namespace HueyP.Domain.Modes;

/// <summary>
/// The degrade/repair ladder as a pure state machine: <see cref="Decide"/> turns an input into events,
/// <see cref="ModeState.Apply"/> folds them in, <see cref="Handle"/> does both.
/// <list type="bullet">
/// <item>A path scoring below its entry threshold, or a transport out of restarts, raises a degraded condition.</item>
/// <item>A risk veto, an INVARIANT_VIOLATION / PROGRAMMING_ERROR fault or a <see cref="HaltRequested"/> raises SAFE_MODE at once.</item>
/// <item>The mode is the most severe active condition; the others stay listed.</item>
/// <item>A degraded condition clears only when every path has held its recovery threshold for the dwell time
/// (counted from when the condition arose at the earliest) and its own primary path was verified since it arose.</item>
/// <item>SAFE_MODE conditions clear only by <see cref="OperatorClear"/>.</item>
/// </list>
/// </summary>
public sealed class ModeManager
{
    private static readonly HealthPath[] Paths = Enum.GetValues<HealthPath>();
    private readonly ModeOptions _options;

    public ModeManager(ModeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Strategy.InvalidOptionsException.ThrowIfAny(options.Validate());
        _options = options;
    }

    public static ModeManager Default { get; } = new(ModeOptions.Default);

    public ModeOptions Options => _options;

    public (ModeState State, ModeDecision Decision) Handle(ModeState state, IModeInput input)
    {
        var decision = Decide(state, input);
        foreach (var e in decision.Events) state = state.Apply(e);
        return (state, decision);
    }

    public ModeDecision Decide(ModeState state, IModeInput input)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(input);
        var error = Validate(state, input);
        if (error is not null) return ModeDecision.Refused(error);

        var draft = new Draft(state);
        var now = input.At;
        switch (input)
        {
            case HealthReported h:
                foreach (var path in Paths)
                {
                    var score = h.Of(path);
                    if (score < _options.Enter(path))
                        Raise(draft, new ModeCondition($"health.{Name(path)}", ConditionKind.HealthBelowThreshold, ModeNames.DegradedModeOf(path), path,
                            $"{Name(path)} health {Num(score)} < {Num(_options.Enter(path))}", now));
                }
                var low = Paths.Where(p => h.Of(p) < _options.Recover(p)).ToList();
                if (low.Count == 0 && draft.State.DwellSince is null)
                    draft.Add(new RecoveryDwellStarted(now));
                else if (low.Count > 0 && draft.State.DwellSince is not null)
                    draft.Add(new RecoveryDwellBroken(now, string.Join(", ", low.Select(p => $"{Name(p)} {Num(h.Of(p))} < {Num(_options.Recover(p))}"))));
                break;
            case TransportBudgetExhausted t:
                Raise(draft, new ModeCondition($"transport.{t.Transport}", ConditionKind.TransportBudgetExhausted, Mode.DegradedComm, HealthPath.Comm,
                    $"transport {t.Transport} restart budget exhausted ({t.Detail}); traffic on {t.Fallback ?? "no fallback"}", now));
                break;
            case RiskVeto v:
                Raise(draft, new ModeCondition($"risk_veto.{v.Agent}", ConditionKind.RiskVeto, Mode.SafeMode, null,
                    $"risk veto by {v.Agent}: {v.Reason}", now));
                break;
            case HaltRequested halt:
                Raise(draft, new ModeCondition($"halt.{halt.Source}", ConditionKind.DependencyHalt, Mode.SafeMode, null,
                    $"halt requested by {halt.Source}: {halt.Reason}", now));
                break;
            case FaultReported f when f.Fault.RequiresSafeMode:
                Raise(draft, new ModeCondition($"fault.{f.Fault.Category}", ConditionKind.SafetyFault, Mode.SafeMode, null,
                    $"{f.Fault.Category} in {f.Source}: {f.Message}", now));
                break;
            case FaultReported:
                // Retry, skip or disable is supervision's answer; the mode follows from the health it leaves behind.
                break;
            case PrimaryVerified p when draft.State.ConditionsOn(p.Path).Any():
                draft.Add(new PathVerified(now, p.Path, p.Evidence));
                break;
            case PrimaryVerified:
                break;
            case OperatorClear o:
                foreach (var c in draft.State.ActiveConditions.Where(c => c.OperatorOnly))
                    draft.Add(new ConditionCleared(now, c.Key, $"operator {o.Who}: {o.Reason}", o.Who));
                break;
        }

        TryRecover(draft, now);
        CloseTransition(draft, state, now);
        return new ModeDecision(true, draft.Events, null);
    }

    /// <summary>
    /// Time still to wait before a degraded condition could clear on dwell, assuming every gate stays good: the full
    /// dwell when the gates are not all good yet, zero when it has elapsed (then verification is what is missing),
    /// null when nothing is degraded.
    /// </summary>
    public TimeSpan? DwellRemaining(ModeState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var degraded = state.Conditions.Values.Where(c => !c.OperatorOnly).ToList();
        if (degraded.Count == 0) return null;
        if (state.DwellSince is not { } since) return _options.Dwell;
        var start = Max(since, degraded.Max(c => c.Since));
        var remaining = _options.Dwell - (now - start);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>What the engine may do now: the mode's table, with signal source and transport route from the conditions.</summary>
    public ModePermissions Permissions(ModeState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var table = ModePermissions.For(state.Mode, _options.FlattenOnSafeMode);
        var signal = state.ConditionsOn(HealthPath.Signal).Select(c => (DateTimeOffset?)c.Since).Min();
        var source = signal is { } since
            ? now - since < _options.CachedFeaturesMaxAge ? SignalSource.CachedFeatures : SignalSource.ConservativeHeuristic
            : SignalSource.Primary;
        var route = state.ConditionsOn(HealthPath.Comm).Any() ? TransportRoute.Fallback : TransportRoute.Primary;
        return table with { SignalSource = source, Transport = route };
    }

    private void TryRecover(Draft draft, DateTimeOffset now)
    {
        if (draft.State.DwellSince is not { } since) return;
        foreach (var c in draft.State.ActiveConditions.Where(c => !c.OperatorOnly))
        {
            var path = c.Path!.Value;
            var dwellFrom = Max(since, c.Since);
            if (now - dwellFrom < _options.Dwell) continue;
            if (!draft.State.VerifiedAt.TryGetValue(path, out var verifiedAt) || verifiedAt < c.Since) continue;
            draft.Add(new ConditionCleared(now, c.Key,
                $"every gate at recovery threshold for {Num(_options.Dwell.TotalSeconds)} s and {Name(path)} primary verified", null));
        }
    }

    private static void CloseTransition(Draft draft, ModeState before, DateTimeOffset now)
    {
        var to = draft.State.RequiredMode;
        if (to == before.Mode) return;
        List<string> causes;
        if (to > before.Mode)
        {
            // The conditions that call for the new mode, newest first: usually the one just raised.
            causes = draft.State.ActiveConditions.Where(c => c.Mode == to).OrderByDescending(c => c.Since).Select(c => c.Cause).ToList();
        }
        else
        {
            causes = draft.Events.OfType<ConditionCleared>().Select(c => $"cleared {c.Key}: {c.Cause}").ToList();
            causes.AddRange(draft.State.ActiveConditions.Where(c => c.Mode == to).Select(c => $"still active: {c.Cause}"));
        }
        draft.Add(new ModeChanged(now, before.Mode, to, causes));
    }

    private static void Raise(Draft draft, ModeCondition condition)
    {
        if (!draft.State.Conditions.ContainsKey(condition.Key))
        {
            draft.Add(new ConditionRaised(condition.Since, condition));
            return;
        }
        // Already degraded for this reason: nothing new, except that a path failing again after it was verified
        // must be verified again before it may take traffic back.
        if (condition.Path is { } path && draft.State.VerifiedAt.ContainsKey(path))
            draft.Add(new VerificationRevoked(condition.Since, path, $"failed again after verification: {condition.Cause}"));
    }

    private static string? Validate(ModeState state, IModeInput input)
    {
        if (state.LastAt is { } last && input.At < last)
            return $"input at {input.At:O} is older than the last event at {last:O}; time must not go backwards";
        return input switch
        {
            HealthReported h when Paths.Any(p => !(h.Of(p) >= 0 && h.Of(p) <= 100)) =>
                $"health scores must be in [0,100], got comm {Num(h.Comm)} signal {Num(h.Signal)} exec {Num(h.Exec)}",
            TransportBudgetExhausted t when string.IsNullOrWhiteSpace(t.Transport) => "transport name is required",
            RiskVeto v when string.IsNullOrWhiteSpace(v.Agent) || string.IsNullOrWhiteSpace(v.Reason) => "a risk veto needs an agent and a reason",
            HaltRequested h when string.IsNullOrWhiteSpace(h.Source) || string.IsNullOrWhiteSpace(h.Reason) => "a halt needs a source and a reason",
            FaultReported f when f.Fault is null => "fault classification is required",
            FaultReported f when string.IsNullOrWhiteSpace(f.Source) => "fault source is required",
            PrimaryVerified p when !Enum.IsDefined(p.Path) => $"unknown path {p.Path}",
            PrimaryVerified p when string.IsNullOrWhiteSpace(p.Evidence) => "verification needs evidence (which shadow test passed)",
            OperatorClear o when string.IsNullOrWhiteSpace(o.Who) || string.IsNullOrWhiteSpace(o.Reason) => "operator clear needs who and why",
            OperatorClear when !state.Conditions.Values.Any(c => c.OperatorOnly) => $"not in SAFE_MODE (mode is {state.Mode.Display()}); nothing for an operator to clear",
            HealthReported or TransportBudgetExhausted or RiskVeto or HaltRequested or FaultReported or PrimaryVerified or OperatorClear or ModeTick => null,
            _ => $"unknown mode input {input.GetType().Name}",
        };
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static string Name(HealthPath path) => path.ToString().ToLowerInvariant();

    private static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Events of one decision, applied as they are added so later steps see earlier ones.</summary>
    private sealed class Draft(ModeState state)
    {
        public ModeState State { get; private set; } = state;
        public List<IModeEvent> Events { get; } = [];

        public void Add(IModeEvent e)
        {
            Events.Add(e);
            State = State.Apply(e);
        }
    }
}
