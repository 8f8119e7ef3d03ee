using System.Globalization;
using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Domain.Modes;
using HueyP.Engine.Modes;

namespace HueyP.Engine.Repair;

/// <summary>
/// /user/engine/repairs/&lt;plan&gt;: runs one <see cref="Runbook"/> through the domain's <see cref="RepairPlan"/> — start
/// a step, do its work off the actor thread, record success or failure, retry after the delay, give up after the
/// attempts — and publishes <see cref="RepairProgress"/> at every event. A succeeded shadow test is reported to the mode
/// ladder as <see cref="PrimaryVerified"/>. Stops itself when the plan is over. Not persistent: the journal may be the
/// very thing under repair; a restarted repair starts its runbook again (steps are idempotent by design).
/// </summary>
public sealed class RepairActor : ReceiveActor, IWithTimers
{
    private readonly Runbook _runbook;
    private readonly string _planId;
    private readonly IActorRef _mode;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stopping = new();
    private RepairPlan _plan = null!;

    public RepairActor(Runbook runbook, string planId, IActorRef mode)
    {
        _runbook = runbook;
        _planId = planId;
        _mode = mode;
        _log = Context.GetLogger();

        Receive<RunNextStep>(_ => RunNext());
        Receive<StepDone>(OnStepDone);
        Receive<ModeCommandResult>(r =>
        {
            if (!r.Accepted) _log.Warning("repair {PlanId}: the mode ladder refused the verification: {Error}", _planId, r.Error);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Runbook runbook, string planId, IActorRef mode) =>
        Actors.Props.Create(() => new RepairActor(runbook, planId, mode));

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart()
    {
        var created = RepairPlan.Create(_planId, _runbook.Path, _runbook.Target, Now, _runbook.Steps.Select(s => s.Step).ToList(), _runbook.MaxAttemptsPerStep);
        if (!created.Accepted) throw new ArgumentException($"runbook {_runbook.Name}: {created.Error}");
        _plan = created.Plan;
        _log.Warning("repair {PlanId} started: {Runbook} for {Path}/{Target}", _planId, _runbook.Name, _runbook.Path, _runbook.Target);
        Publish($"started: {_plan.Steps.Count} step(s)");
        Self.Tell(RunNextStep.Instance);
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void RunNext()
    {
        var started = _plan.StartNext(Now);
        if (!started.Accepted)
        {
            _log.Warning("repair {PlanId}: {Error}", _planId, started.Error);
            return;
        }
        _plan = started.Plan;
        var e = (RepairStepStarted)started.Event!;
        var step = _runbook.Steps[e.Index];
        Publish($"step {e.Index + 1} ({step.Step.Description}) attempt {e.Attempt}");
        var context = new RepairStepContext(Context.System, _planId, e.Attempt);
        var token = _stopping.Token;
        Task.Run(async () =>
        {
            try
            {
                return new StepDone(e.Index, await step.Run(context, token).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                return new StepDone(e.Index, RepairStepOutcome.Failed(ex.GetBaseException().Message));
            }
        }, token).PipeTo(Self);
    }

    private void OnStepDone(StepDone done)
    {
        var description = _runbook.Steps[done.Index].Step;
        var decision = done.Outcome.Success ? _plan.Succeed(Now, done.Outcome.Detail) : _plan.Fail(Now, done.Outcome.Detail);
        if (!decision.Accepted)
        {
            _log.Warning("repair {PlanId}: step result refused: {Error}", _planId, decision.Error);
            return;
        }
        _plan = decision.Plan;
        if (done.Outcome.Success)
        {
            Publish($"step {done.Index + 1} ({description.Description}) succeeded: {done.Outcome.Detail}");
            if (description.Kind == RepairStepKind.ShadowTest)
                _mode.Tell(new PrimaryVerified(default, _runbook.Path, $"{_runbook.Name}: {done.Outcome.Detail}"), Self);
        }
        else
        {
            var gaveUp = ((RepairStepFailed)decision.Event!).GaveUp;
            _log.Warning("repair {PlanId}: step '{Step}' failed{GaveUp}: {Error}", _planId, description.Description, gaveUp ? " for the last time" : "", done.Outcome.Detail);
            // The retry is scheduled before it is announced: whoever hears "retry in" may already move the clock on.
            if (!gaveUp) Timers.StartSingleTimer("retry", RunNextStep.Instance, _runbook.RetryDelay);
            Publish($"step {done.Index + 1} ({description.Description}) failed: {done.Outcome.Detail}" + (gaveUp ? "; gave up" : $"; retry in {_runbook.RetryDelay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"));
        }

        if (_plan.Status is RepairPlanStatus.Succeeded or RepairPlanStatus.Failed)
        {
            _log.Warning("repair {PlanId} {Status}", _planId, _plan.Status);
            Context.Stop(Self);
        }
        else if (done.Outcome.Success)
        {
            Self.Tell(RunNextStep.Instance);
        }
    }

    private void Publish(string lastEvent)
    {
        var current = _plan.CurrentIndex is { } i ? $"{i + 1}. {_plan.Steps[i].Description}" : null;
        var steps = _plan.Steps.Select((s, n) =>
            $"{n + 1}. {s.Description}: {s.Status.ToString().ToLowerInvariant()}" + (s.Attempts > 0 ? $" ({s.Attempts} attempt{(s.Attempts == 1 ? "" : "s")})" : "") +
            (s.Detail is { Length: > 0 } d ? $" - {d}" : "")).ToList();
        Context.System.EventStream.Publish(new RepairProgress(_planId, _runbook.Name, _plan.Path, _plan.Target, _plan.Status, _plan.Progress, current, steps,
            lastEvent, _plan.EstimateToRecovery(Now, null), Now));
    }

    private sealed record RunNextStep
    {
        public static readonly RunNextStep Instance = new();
    }

    private sealed record StepDone(int Index, RepairStepOutcome Outcome);
}
