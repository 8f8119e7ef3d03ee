using HueyP.Domain.Faults;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Tests.Modes;

public class ModeManagerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly ModeManager Manager = ModeManager.Default;

    private static DateTimeOffset S(double seconds) => T0.AddSeconds(seconds);

    private static HealthReported Scores(double at, double comm = 100, double signal = 100, double exec = 100) => new(S(at), comm, signal, exec);

    private static ModeState Run(ModeState state, params IModeInput[] inputs)
    {
        foreach (var input in inputs)
        {
            var (next, decision) = Manager.Handle(state, input);
            Assert.True(decision.Accepted, decision.Error);
            state = next;
        }
        return state;
    }

    private static ModeState Start => Run(ModeState.Initial, Scores(0));

    [Theory]
    [InlineData(69.9, 100, 100, Mode.DegradedComm)]
    [InlineData(100, 64.9, 100, Mode.DegradedSignal)]
    [InlineData(100, 100, 59.9, Mode.DegradedExec)]
    [InlineData(70, 65, 60, Mode.Normal)]
    public void Each_path_below_its_entry_threshold_enters_its_degraded_mode(double comm, double signal, double exec, Mode expected)
    {
        var (state, decision) = Manager.Handle(Start, Scores(1, comm, signal, exec));
        Assert.Equal(expected, state.Mode);
        if (expected == Mode.Normal) return;
        var change = decision.Transition!;
        Assert.Equal((Mode.Normal, expected), (change.From, change.To));
        Assert.Contains("health", Assert.Single(change.Causes));
        Assert.Contains("<", change.Causes[0]);
    }

    [Fact]
    public void Transport_budget_exhausted_enters_degraded_comm_naming_the_transport()
    {
        var (state, decision) = Manager.Handle(Start, new TransportBudgetExhausted(S(1), "socket", "pipe", "5 restarts in 60 s"));
        Assert.Equal(Mode.DegradedComm, state.Mode);
        Assert.Contains("socket", decision.Transition!.Causes[0]);
        Assert.Contains("pipe", decision.Transition.Causes[0]);
        Assert.Equal(TransportRoute.Fallback, Manager.Permissions(state, S(1)).Transport);
    }

    [Fact]
    public void Risk_veto_goes_straight_to_safe_mode()
    {
        var state = Run(Start, Scores(1, comm: 50));
        var (next, decision) = Manager.Handle(state, new RiskVeto(S(2), "drawdown", "daily loss 3.1% > 3%"));
        Assert.Equal(Mode.SafeMode, next.Mode);
        Assert.Equal(Mode.DegradedComm, decision.Transition!.From);
        Assert.Contains("daily loss", decision.Transition.Causes[0]);
    }

    [Theory]
    [InlineData(FaultCategory.InvariantViolation, Mode.SafeMode)]
    [InlineData(FaultCategory.ProgrammingError, Mode.SafeMode)]
    [InlineData(FaultCategory.TransientNetwork, Mode.Normal)]
    [InlineData(FaultCategory.Auth, Mode.Normal)]
    [InlineData(FaultCategory.Unknown, Mode.Normal)]
    public void Only_safety_faults_change_the_mode_directly(FaultCategory category, Mode expected)
    {
        var fault = new FaultClassification(category, FaultScope.Global, FaultAction.HaltTrading, "t");
        var state = Run(Start, new FaultReported(S(1), fault, "ledger", "cash mismatch"));
        Assert.Equal(expected, state.Mode);
    }

    [Fact]
    public void The_most_severe_condition_wins_and_the_others_stay_active()
    {
        var state = Run(Start,
            new TransportBudgetExhausted(S(1), "socket", "pipe", "budget"),
            Scores(2, comm: 50, signal: 50),
            Scores(3, comm: 50, signal: 50, exec: 40));
        Assert.Equal(Mode.DegradedExec, state.Mode);
        Assert.Equal(
            [Mode.DegradedExec, Mode.DegradedSignal, Mode.DegradedComm, Mode.DegradedComm],
            state.ActiveConditions.Select(c => c.Mode));

        state = Run(state, new FaultReported(S(4), new FaultClassification(FaultCategory.InvariantViolation, FaultScope.Global, FaultAction.HaltTrading, "t"), "ledger", "x"));
        Assert.Equal(Mode.SafeMode, state.Mode);
        Assert.Equal(5, state.ActiveConditions.Count);

        // Less severe news does not move the mode down.
        state = Run(state, Scores(5, comm: 50));
        Assert.Equal(Mode.SafeMode, state.Mode);
        Assert.Equal(
            [Mode.Normal, Mode.DegradedComm, Mode.DegradedSignal, Mode.DegradedExec, Mode.SafeMode],
            state.History.Select(h => h.From).Append(state.History[^1].To));
    }

    [Fact]
    public void A_score_bouncing_around_the_threshold_does_not_flap()
    {
        var state = Start;
        var t = 1.0;
        // Oscillating between 65 and 75 around the entry threshold 70, for ten minutes, verified all along.
        for (var i = 0; i < 300; i++, t += 2)
        {
            state = Run(state, Scores(t, comm: i % 2 == 0 ? 65 : 75));
            if (state.Mode != Mode.Normal) state = Run(state, new PrimaryVerified(S(t), HealthPath.Comm, "shadow ok"));
        }
        Assert.Equal(Mode.DegradedComm, state.Mode);
        Assert.Single(state.History);

        // 84 is above entry but below recovery: still degraded.
        for (var i = 0; i < 30; i++, t += 2) state = Run(state, Scores(t, comm: 84));
        Assert.Equal(Mode.DegradedComm, state.Mode);
        Assert.Single(state.History);
    }

    [Fact]
    public void Recovery_needs_every_gate_good_for_the_dwell_and_the_primary_verified()
    {
        var state = Run(Start, Scores(1, comm: 50), Scores(2, comm: 90));
        state = Run(state, new PrimaryVerified(S(3), HealthPath.Comm, "shadow heartbeat 50/50"));

        // Gates good since 2 s; dwell 20 s -> not before 22 s.
        state = Run(state, Scores(21.5, comm: 90));
        Assert.Equal(Mode.DegradedComm, state.Mode);
        Assert.Equal(TimeSpan.FromSeconds(0.5), Manager.DwellRemaining(state, S(21.5)));

        var (next, decision) = Manager.Handle(state, new ModeTick(S(22)));
        Assert.Equal(Mode.Normal, next.Mode);
        var change = decision.Transition!;
        Assert.Equal((Mode.DegradedComm, Mode.Normal), (change.From, change.To));
        Assert.Contains("primary verified", change.Causes[0]);
        Assert.Empty(next.Conditions);
        Assert.Null(Manager.DwellRemaining(next, S(22)));
    }

    [Fact]
    public void Without_verification_the_dwell_alone_does_not_recover()
    {
        var state = Run(Start, Scores(1, comm: 50), Scores(2), Scores(100), new ModeTick(S(500)));
        Assert.Equal(Mode.DegradedComm, state.Mode);
        Assert.Equal(TimeSpan.Zero, Manager.DwellRemaining(state, S(500)));

        state = Run(state, new PrimaryVerified(S(501), HealthPath.Comm, "shadow ok"));
        Assert.Equal(Mode.Normal, state.Mode);
    }

    [Fact]
    public void A_verification_from_before_the_outage_does_not_count()
    {
        var state = Run(Start, Scores(1, comm: 50), new PrimaryVerified(S(2), HealthPath.Comm, "ok"), Scores(3), new ModeTick(S(30)));
        Assert.Equal(Mode.Normal, state.Mode);

        // The next outage needs its own verification.
        state = Run(state, new TransportBudgetExhausted(S(40), "socket", "pipe", "budget"), Scores(41), new ModeTick(S(100)));
        Assert.Equal(Mode.DegradedComm, state.Mode);
    }

    [Fact]
    public void Failing_again_after_verification_requires_a_new_verification()
    {
        var state = Run(Start, Scores(1, comm: 50), Scores(2), new PrimaryVerified(S(3), HealthPath.Comm, "ok"));
        var (next, decision) = Manager.Handle(state, Scores(10, comm: 60));
        Assert.Contains(decision.Events, e => e is VerificationRevoked);
        state = Run(next, Scores(11), new ModeTick(S(60)));
        Assert.Equal(Mode.DegradedComm, state.Mode);
    }

    [Fact]
    public void A_gate_dipping_below_recovery_restarts_the_dwell()
    {
        var state = Run(Start, Scores(1, signal: 50), new PrimaryVerified(S(1), HealthPath.Signal, "ok"), Scores(2));
        state = Run(state, Scores(15, exec: 80)); // another gate below 85 breaks the dwell
        state = Run(state, Scores(16), new ModeTick(S(30)));
        Assert.Equal(Mode.DegradedSignal, state.Mode);
        Assert.Equal(TimeSpan.FromSeconds(6), Manager.DwellRemaining(state, S(30)));
        state = Run(state, new ModeTick(S(36)));
        Assert.Equal(Mode.Normal, state.Mode);
    }

    [Fact]
    public void The_dwell_counts_from_the_outage_even_when_scores_were_already_good()
    {
        // Scores good from 0 s (measured on the fallback); the transport gives up at 50 s.
        var state = Run(Start, new TransportBudgetExhausted(S(50), "socket", "pipe", "budget"), new PrimaryVerified(S(51), HealthPath.Comm, "ok"));
        Assert.Equal(Mode.DegradedComm, state.Mode);
        Assert.Equal(TimeSpan.FromSeconds(19), Manager.DwellRemaining(state, S(51)));
        state = Run(state, new ModeTick(S(70)));
        Assert.Equal(Mode.Normal, state.Mode);
    }

    [Fact]
    public void Recovering_one_path_steps_down_to_the_next_most_severe_mode()
    {
        var state = Run(Start, new TransportBudgetExhausted(S(1), "socket", "pipe", "budget"), Scores(2, exec: 40), Scores(3));
        Assert.Equal(Mode.DegradedExec, state.Mode);
        var (next, decision) = Manager.Handle(state, new PrimaryVerified(S(30), HealthPath.Exec, "shadow reads ok"));
        Assert.Equal(Mode.DegradedComm, next.Mode);
        Assert.Contains(decision.Transition!.Causes, c => c.StartsWith("still active") && c.Contains("socket"));
    }

    [Fact]
    public void Safe_mode_is_left_only_by_an_operator()
    {
        var state = Run(Start, new RiskVeto(S(1), "risk", "exposure limit"), Scores(2), new ModeTick(S(3600)));
        Assert.Equal(Mode.SafeMode, state.Mode);
        foreach (var path in Enum.GetValues<HealthPath>())
            state = Run(state, new PrimaryVerified(S(3601), path, "ok"));
        Assert.Equal(Mode.SafeMode, state.Mode);

        var (next, decision) = Manager.Handle(state, new OperatorClear(S(3700), "limit raised after review", "alice"));
        Assert.Equal(Mode.Normal, next.Mode);
        var cleared = Assert.Single(decision.Events.OfType<ConditionCleared>());
        Assert.Equal("alice", cleared.ClearedBy);
        Assert.Contains("limit raised after review", decision.Transition!.Causes[0]);
    }

    [Fact]
    public void Operator_clear_leaves_degraded_conditions_in_force()
    {
        var state = Run(Start, Scores(1, signal: 30), new RiskVeto(S(2), "risk", "veto"));
        state = Run(state, new OperatorClear(S(3), "reviewed", "bob"));
        Assert.Equal(Mode.DegradedSignal, state.Mode);
    }

    [Fact]
    public void Operator_clear_outside_safe_mode_is_refused()
    {
        var state = Run(Start, Scores(1, comm: 10));
        var (next, decision) = Manager.Handle(state, new OperatorClear(S(2), "just because", "eve"));
        Assert.False(decision.Accepted);
        Assert.Contains("not in SAFE_MODE", decision.Error);
        Assert.Same(state, next);
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_refused_with_a_clear_error_and_the_state_unchanged(IModeInput input, string expected)
    {
        var state = Run(Start, Scores(10, comm: 50), new RiskVeto(S(10), "risk", "v"));
        var (next, decision) = Manager.Handle(state, input);
        Assert.False(decision.Accepted);
        Assert.Empty(decision.Events);
        Assert.Contains(expected, decision.Error);
        Assert.Same(state, next);
    }

    public static TheoryData<IModeInput, string> BadInputs => new()
    {
        { new HealthReported(S(11), double.NaN, 100, 100), "[0,100]" },
        { new HealthReported(S(11), 100, 101, 100), "[0,100]" },
        { new HealthReported(S(5), 100, 100, 100), "backwards" },
        { new TransportBudgetExhausted(S(11), " ", null, "x"), "transport name" },
        { new RiskVeto(S(11), "risk", ""), "reason" },
        { new PrimaryVerified(S(11), HealthPath.Comm, ""), "evidence" },
        { new PrimaryVerified(S(11), (HealthPath)9, "ok"), "unknown path" },
        { new OperatorClear(S(11), "ok", ""), "who" },
    };

    [Fact]
    public void Every_transition_is_in_the_history_with_its_causes()
    {
        var state = Run(Start,
            Scores(1, exec: 30),
            new PrimaryVerified(S(2), HealthPath.Exec, "ok"),
            Scores(3),
            new ModeTick(S(30)),
            new FaultReported(S(40), new FaultClassification(FaultCategory.ProgrammingError, FaultScope.Global, FaultAction.HaltTrading, "NullReferenceException"), "symbols/EURUSD", "boom"),
            new OperatorClear(S(50), "hotfix deployed", "carol"));
        Assert.Equal(
            ["NORMAL->DEGRADED_EXEC", "DEGRADED_EXEC->NORMAL", "NORMAL->SAFE_MODE", "SAFE_MODE->NORMAL"],
            state.History.Select(h => $"{h.From.Display()}->{h.To.Display()}"));
        Assert.All(state.History, h => Assert.NotEmpty(h.Causes));
        Assert.Contains("symbols/EURUSD", state.History[2].Causes[0]);
        Assert.Equal(2, state.HistoryBetween(S(30), S(45)).Count);
    }

    [Fact]
    public void Replaying_the_events_rebuilds_the_same_state()
    {
        var live = ModeState.Initial;
        var journal = new List<IModeEvent>();
        IModeInput[] inputs =
        [
            Scores(0), Scores(1, comm: 50, signal: 40), new TransportBudgetExhausted(S(2), "socket", "pipe", "budget"),
            Scores(3), new PrimaryVerified(S(4), HealthPath.Signal, "ok"), new ModeTick(S(30)),
        ];
        foreach (var input in inputs)
        {
            var (next, decision) = Manager.Handle(live, input);
            journal.AddRange(decision.Events);
            live = next;
        }
        var replayed = journal.Aggregate(ModeState.Initial, (s, e) => s.Apply(e));
        Assert.Equal(live.Mode, replayed.Mode);
        Assert.Equal(live.Conditions.Keys, replayed.Conditions.Keys);
        Assert.Equal(live.DwellSince, replayed.DwellSince);
        Assert.Equal(live.History.Count, replayed.History.Count);
        Assert.Equal(Mode.DegradedComm, live.Mode);
    }

    [Fact]
    public void Thresholds_are_validated_enter_below_recover()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() => new ModeManager(ModeOptions.Default with
        {
            CommEnter = 90, ExecRecover = 120, Dwell = TimeSpan.FromSeconds(-1),
        }));
        var keys = ex.Errors.Select(e => e.Key).ToList();
        Assert.Contains("hueyp.modes.comm.enter", keys);
        Assert.Contains("hueyp.modes.exec.recover", keys);
        Assert.Contains("hueyp.modes.dwell_s", keys);
    }

    [Fact]
    public void Configured_thresholds_are_used()
    {
        var strict = new ModeManager(ModeOptions.Default with { CommEnter = 80, CommRecover = 95 });
        var (state, _) = strict.Handle(ModeState.Initial, Scores(0, comm: 79));
        Assert.Equal(Mode.DegradedComm, state.Mode);
    }

    [Fact]
    public void A_halt_request_enters_SAFE_MODE_at_once_and_healthy_scores_with_a_long_dwell_do_not_leave_it_only_an_operator_does()
    {
        var (state, decision) = Manager.Handle(Start, new HaltRequested(S(1), "journal", "journal breaker open: database is locked"));
        Assert.Equal(Mode.SafeMode, state.Mode);
        Assert.Contains("halt requested by journal: journal breaker open: database is locked", decision.Transition!.Causes);
        Assert.Equal(ConditionKind.DependencyHalt, state.ActiveConditions[0].Kind);

        state = Run(state, Scores(2), new PrimaryVerified(S(3), HealthPath.Exec, "probe writes ok"), Scores(600), new ModeTick(S(900)));
        Assert.Equal(Mode.SafeMode, state.Mode);

        state = Run(state, new OperatorClear(S(901), "journal back, verified", "alice"));
        Assert.Equal(Mode.Normal, state.Mode);
    }

    [Fact]
    public void A_halt_request_without_a_source_or_reason_is_refused_and_changes_nothing()
    {
        var decision = Manager.Decide(Start, new HaltRequested(S(1), "journal", " "));
        Assert.False(decision.Accepted);
        Assert.Equal("a halt needs a source and a reason", decision.Error);
    }
}
