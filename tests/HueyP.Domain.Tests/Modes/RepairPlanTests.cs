using HueyP.Domain.Health;
using HueyP.Domain.Modes;

namespace HueyP.Domain.Tests.Modes;

public class RepairPlanTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset S(double seconds) => T0.AddSeconds(seconds);

    private static RepairPlan CommPlan() => RepairPlan.Create("repair-1", HealthPath.Comm, "socket", T0).Plan;

    private static RepairPlan Ok(RepairDecision d)
    {
        Assert.True(d.Accepted, d.Error);
        return d.Plan;
    }

    [Fact]
    public void The_comm_runbook_restarts_rebinds_shadow_tests_and_switches_back()
    {
        var plan = CommPlan();
        Assert.Equal(
            [RepairStepKind.RestartListener, RepairStepKind.RebindPort, RepairStepKind.ShadowTest, RepairStepKind.SwitchBack],
            plan.Steps.Select(s => s.Kind));
        Assert.Equal(RepairPlanStatus.Pending, plan.Status);
        Assert.Equal(0, plan.Progress);
        Assert.Contains(RepairStepKind.ReconnectBroker, Runbooks.For(HealthPath.Exec).Select(s => s.Kind));
        Assert.Contains(RepairStepKind.RebuildProjection, Runbooks.For(HealthPath.Exec).Select(s => s.Kind));
        Assert.Contains(RepairStepKind.ReloadFeatures, Runbooks.For(HealthPath.Signal).Select(s => s.Kind));
    }

    [Fact]
    public void Steps_run_in_order_with_progress_events()
    {
        var plan = CommPlan();
        var events = new List<IRepairEvent>();
        RepairPlan Step(RepairDecision d) { var p = Ok(d); events.Add(d.Event!); return p; }

        plan = Step(plan.StartNext(S(0)));
        Assert.Equal(RepairPlanStatus.Running, plan.Status);
        plan = Step(plan.Succeed(S(8), "listener up"));
        plan = Step(plan.Skip(S(8), "listener came back on its port"));
        Assert.Equal(0.5, plan.Progress);
        plan = Step(plan.StartNext(S(8)));
        plan = Step(plan.Succeed(S(40), "50/50 shadow heartbeats"));
        plan = Step(plan.StartNext(S(40)));
        plan = Step(plan.Succeed(S(42), "traffic on socket"));

        Assert.Equal(RepairPlanStatus.Succeeded, plan.Status);
        Assert.Equal(1, plan.Progress);
        Assert.Null(plan.CurrentIndex);
        Assert.Equal(
            ["RepairStepStarted", "RepairStepSucceeded", "RepairStepSkipped", "RepairStepStarted", "RepairStepSucceeded", "RepairStepStarted", "RepairStepSucceeded"],
            events.Select(e => e.GetType().Name));

        var created = (RepairPlanCreated)RepairPlan.Create("repair-1", HealthPath.Comm, "socket", T0).Event!;
        var replayed = events.Aggregate(RepairPlan.FromCreated(created), (p, e) => p.Apply(e));
        Assert.Equal(plan.Steps, replayed.Steps);
    }

    [Fact]
    public void A_failed_step_is_retried_until_its_attempts_run_out()
    {
        var plan = RepairPlan.Create("r", HealthPath.Exec, "mt4-broker", T0, maxAttemptsPerStep: 2).Plan;
        plan = Ok(plan.StartNext(S(0)));
        var first = plan.Fail(S(5), "connection refused");
        Assert.False(((RepairStepFailed)first.Event!).GaveUp);
        plan = Ok(first);
        Assert.Equal(RepairPlanStatus.Running, plan.Status);

        plan = Ok(plan.StartNext(S(10)));
        Assert.Equal(2, plan.Steps[0].Attempts);
        var second = plan.Fail(S(15), "connection refused");
        Assert.True(((RepairStepFailed)second.Event!).GaveUp);
        plan = Ok(second);
        Assert.Equal(RepairPlanStatus.Failed, plan.Status);
        Assert.Null(plan.EstimateToRecovery(S(15), TimeSpan.Zero));
        Assert.False(plan.StartNext(S(16)).Accepted);
    }

    [Fact]
    public void Estimate_to_recovery_is_the_longer_of_remaining_steps_and_remaining_dwell()
    {
        var plan = CommPlan(); // 10 + 5 + 30 + 5 = 50 s
        Assert.Equal(TimeSpan.FromSeconds(50), plan.EstimateToRecovery(T0, TimeSpan.FromSeconds(20)));

        plan = Ok(plan.StartNext(S(0)));
        Assert.Equal(TimeSpan.FromSeconds(46), plan.EstimateToRecovery(S(4), TimeSpan.FromSeconds(20)));
        // A step overrunning its estimate contributes nothing more, not a negative amount.
        Assert.Equal(TimeSpan.FromSeconds(40), plan.EstimateToRecovery(S(60), null));

        plan = Ok(plan.Succeed(S(10), "ok"));
        plan = Ok(plan.Skip(S(10), "not needed"));
        plan = Ok(plan.StartNext(S(10)));
        plan = Ok(plan.Succeed(S(40), "ok"));
        plan = Ok(plan.StartNext(S(40)));
        plan = Ok(plan.Succeed(S(45), "ok"));
        // Steps done: only the dwell the mode manager still needs is left.
        Assert.Equal(TimeSpan.FromSeconds(12), plan.EstimateToRecovery(S(45), TimeSpan.FromSeconds(12)));
        Assert.Equal(TimeSpan.Zero, plan.EstimateToRecovery(S(45), null));
    }

    [Fact]
    public void The_eta_follows_the_mode_managers_dwell()
    {
        var manager = ModeManager.Default;
        var (state, _) = manager.Handle(ModeState.Initial, new HealthReported(S(0), 50, 100, 100));
        (state, _) = manager.Handle(state, new HealthReported(S(5), 90, 100, 100));
        var plan = RepairPlan.Create("r", HealthPath.Comm, "socket", S(5), [new RepairStep(RepairStepKind.ShadowTest, "shadow", TimeSpan.FromSeconds(3))]).Plan;
        Assert.Equal(TimeSpan.FromSeconds(15), plan.EstimateToRecovery(S(10), manager.DwellRemaining(state, S(10))));
    }

    [Fact]
    public void Out_of_order_or_bad_reports_are_refused_and_change_nothing()
    {
        var plan = CommPlan();
        Assert.Contains("no step is running", plan.Succeed(S(1), "ok").Error);
        var running = Ok(plan.StartNext(S(1)));
        Assert.Contains("already running", running.StartNext(S(2)).Error);
        Assert.Contains("running", running.Skip(S(2), "x").Error);
        Assert.Contains("needs an error", running.Fail(S(2), "").Error);
        Assert.Contains("before", running.Succeed(S(0), "ok").Error);
        var refused = running.Fail(S(2), "");
        Assert.Same(running, refused.Plan);
        Assert.Null(refused.Event);

        Assert.False(RepairPlan.Create("", HealthPath.Comm, "socket", T0).Accepted);
        Assert.False(RepairPlan.Create("r", HealthPath.Comm, " ", T0).Accepted);
        Assert.False(RepairPlan.Create("r", HealthPath.Comm, "socket", T0, []).Accepted);
        Assert.False(RepairPlan.Create("r", (HealthPath)7, "socket", T0).Accepted);
        Assert.Throws<ArgumentException>(() => plan.Apply(new RepairStepStarted("other", S(1), 0, 1)));
    }
}
