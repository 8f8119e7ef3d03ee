using HueyP.Actors;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Modes;
using HueyP.Engine.Repair;
using HueyP.Persistence;
using HueyP.Persistence.Serialization;
using Xunit.Abstractions;

namespace HueyP.Engine.Tests.Health;

/// <summary>Runbook actors: steps in order, retried after their delay, progress published and shown by `mode show`, the shadow test verifying the path.</summary>
public sealed class RepairRunbookTests : JournaledTestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public RepairRunbookTests(ITestOutputHelper output) : base(output, "repair", serializer: ModeSerialization.Register(new EventSerializer()))
    {
    }

    private T Ask<T>(IActorRef target, object message)
    {
        target.Tell(message, TestActor);
        return ExpectMsg<T>(Wait);
    }

    /// <summary>A comm runbook whose listener restart fails <paramref name="failures"/> times before it works.</summary>
    private static Runbook Listener(int failures, int maxAttempts = 5)
    {
        var attempts = 0;
        return new Runbook("restart-listener", HealthPath.Comm, "socket",
        [
            new RunbookStep(new RepairStep(RepairStepKind.RestartListener, "restart the socket listener", TimeSpan.FromSeconds(10)),
                (_, _) => Task.FromResult(++attempts <= failures ? RepairStepOutcome.Failed($"port 5555 in use (attempt {attempts})") : RepairStepOutcome.Ok("listening on 5555"))),
            new RunbookStep(new RepairStep(RepairStepKind.ShadowTest, "loop-around messages over the socket", TimeSpan.FromSeconds(20)),
                (_, _) => Task.FromResult(RepairStepOutcome.Ok("20/20 loop-around messages echoed"))),
            new RunbookStep(new RepairStep(RepairStepKind.SwitchBack, "route traffic back to the socket", TimeSpan.FromSeconds(1)),
                (_, _) => Task.FromResult(RepairStepOutcome.Ok("route socket"))),
        ])
        {
            MaxAttemptsPerStep = maxAttempts,
            RetryDelay = TimeSpan.FromSeconds(15),
        };
    }

    [Fact]
    public void A_runbook_retries_a_failing_step_after_its_delay_publishes_progress_verifies_the_path_and_mode_show_lists_it()
    {
        var mode = Sys.ActorOf(ModeActor.Props(), "mode");
        var repairs = Sys.ActorOf(RepairsActor.Props(mode), "repairs");
        var progress = CreateTestProbe();
        Sys.EventStream.Subscribe(progress.Ref, typeof(RepairProgress));
        // Answered once recovery is over and the mode's EventStream subscriptions are in place.
        Ask<ModeStatus>(mode, GetMode.Instance);
        Sys.EventStream.Publish(new TransportRouteChanged("socket", "pipe", "socket silent"));
        AwaitCondition(() => Ask<ModeStatus>(mode, GetMode.Instance).Mode == Mode.DegradedComm, Wait);

        var started = Ask<RepairStarted>(repairs, new StartRepair(Listener(failures: 2)));
        Assert.False(started.AlreadyRunning);
        Assert.True(Ask<RepairStarted>(repairs, new StartRepair(Listener(failures: 0))).AlreadyRunning, "one repair per path and target");

        var failed = progress.FishForMessage<RepairProgress>(p => p.LastEvent.Contains("failed"), Wait);
        Assert.Contains("port 5555 in use (attempt 1)", failed.LastEvent);
        Assert.Contains("retry in 15 s", failed.LastEvent);
        // Nothing happens before the delay: the second attempt waits for virtual time.
        progress.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Advance(TimeSpan.FromSeconds(15));
        Assert.Contains("attempt 2", progress.ExpectMsg<RepairProgress>(Wait).LastEvent);
        Assert.Contains("port 5555 in use (attempt 2)", progress.ExpectMsg<RepairProgress>(Wait).LastEvent);
        Advance(TimeSpan.FromSeconds(15));

        var done = progress.FishForMessage<RepairProgress>(p => p.IsOver, Wait);
        Assert.Equal(RepairPlanStatus.Succeeded, done.Status);
        Assert.Equal(1.0, done.Progress);
        Assert.Equal("1. restart the socket listener: succeeded (3 attempts) - listening on 5555", done.Steps[0]);

        AwaitAssert(() =>
        {
            var status = Ask<ModeStatus>(mode, GetMode.Instance);
            Assert.True(status.VerifiedAt.ContainsKey(HealthPath.Comm), "the shadow test verified the comm path");
            Assert.Equal(RepairPlanStatus.Succeeded, Assert.Single(status.Repairs).Status);
        }, Wait);
    }

    [Fact]
    public void A_step_failing_past_its_attempts_fails_the_plan_and_verifies_nothing()
    {
        var mode = Sys.ActorOf(ModeActor.Props(), "mode");
        var repairs = Sys.ActorOf(RepairsActor.Props(mode), "repairs");
        var progress = CreateTestProbe();
        Sys.EventStream.Subscribe(progress.Ref, typeof(RepairProgress));

        Ask<RepairStarted>(repairs, new StartRepair(Listener(failures: 10, maxAttempts: 2)));
        progress.FishForMessage<RepairProgress>(p => p.LastEvent.Contains("retry in"), Wait);
        Advance(TimeSpan.FromSeconds(15));

        var over = progress.FishForMessage<RepairProgress>(p => p.IsOver, Wait);
        Assert.Equal(RepairPlanStatus.Failed, over.Status);
        Assert.EndsWith("gave up", over.LastEvent);
        Assert.Null(over.EstimateToRecovery);
        Assert.Empty(Ask<ModeStatus>(mode, GetMode.Instance).VerifiedAt);
        AwaitAssert(() => Assert.Empty(Sys.Diagnostics.Descendants("/user/repairs")), Wait);
    }
}
