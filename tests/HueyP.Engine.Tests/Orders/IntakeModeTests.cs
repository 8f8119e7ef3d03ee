using HueyP.Actors;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Domain.PreTrade;
using HueyP.Engine.Broker;
using HueyP.Engine.Intents;
using HueyP.Engine.Modes;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// The intake obeys the mode ladder (ModeChanged on the EventStream): in DEGRADED_EXEC and SAFE_MODE new entries are
/// denied with a reason code and never reach the broker; back in NORMAL they go through. What it knows (the mode and
/// the intents not flushed yet) lives in its <see cref="IntakeMemory"/> and survives a crash.
/// </summary>
public sealed class IntakeModeTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTime Decision = new(2025, 4, 1, 10, 35, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset At = new(2025, 4, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly PersistenceStore _store;

    public IntakeModeTests(ITestOutputHelper output) : base(output: output)
    {
        _store = JournalFactory.Create(OrderReplayTests.Journal(TestData.TempFile("intake-mode.db")), OrderSideSerialization.Create());
        PersistenceExtension.Install(Sys, _store);
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private (IActorRef Intake, Actors.TestKit.TestProbe Broker) Start(OrderIntakeSettings? settings = null)
    {
        var broker = CreateTestProbe();
        var orders = Sys.ActorOf(OrderRegion.Props(() => broker.Ref, null), "orders");
        var intake = Sys.ActorOf(OrderIntakeActor.Props(settings ?? new OrderIntakeSettings(), orders, null, new IntakeMemory()), "intake");
        Stats(intake); // recovered and subscribed to the EventStream
        return (intake, broker);
    }

    private IntakeStats Stats(IActorRef intake)
    {
        intake.Tell(GetIntakeStats.Instance, TestActor);
        return ExpectMsg<IntakeStats>(Wait);
    }

    private IntentOutcome SubmitAndFlush(IActorRef intake, int minute)
    {
        intake.Tell(new SubmitOrderIntent(OrderActorTests.Intent(Decision.AddMinutes(minute), quantity: 0.1m), null!));
        intake.Tell(FlushIntents.Instance, TestActor);
        return ExpectMsg<IntentsFlushed>(Wait).Outcomes.Single();
    }

    private void Publish(Mode from, Mode to, int minute)
    {
        Sys.EventStream.Publish(new ModeChanged(At.AddMinutes(minute), from, to, ["test"]));
    }

    [Fact]
    public void New_entries_are_denied_with_the_mode_as_reason_in_DEGRADED_EXEC_and_SAFE_MODE_and_allowed_again_in_NORMAL()
    {
        var (intake, broker) = Start();

        Publish(Mode.Normal, Mode.DegradedExec, 1);
        var degraded = SubmitAndFlush(intake, 1);
        Publish(Mode.DegradedExec, Mode.SafeMode, 2);
        var safe = SubmitAndFlush(intake, 2);
        // Degraded modes that still allow entries do not block.
        Publish(Mode.SafeMode, Mode.DegradedComm, 3);
        var comm = SubmitAndFlush(intake, 3);

        Assert.Equal(IntentOutcomeKind.Denied, degraded.Kind);
        Assert.Equal(PreTradeReasonCodes.ModeDegradedExec, degraded.ReasonCode);
        Assert.Equal(IntentOutcomeKind.Denied, safe.Kind);
        Assert.Equal(PreTradeReasonCodes.ModeSafeMode, safe.ReasonCode);
        Assert.Contains("SAFE_MODE", safe.Detail);
        Assert.Equal(IntentOutcomeKind.Submitted, comm.Kind);
        // Only the order placed after the ladder allowed entries again reached the broker.
        Assert.Equal(comm.ClientOrderId, broker.ExpectMsg<SubmitToBroker>(Wait).Request.ClientOrderId);
        Assert.False(broker.HasMessages);
        var stats = Stats(intake);
        Assert.Equal(1, stats.DeniedByReason[PreTradeReasonCodes.ModeDegradedExec]);
        Assert.Equal(1, stats.DeniedByReason[PreTradeReasonCodes.ModeSafeMode]);
        Assert.Equal(1, stats.Submitted);
    }

    [Fact]
    public void The_kill_switch_keeps_its_own_reason_while_the_mode_also_blocks()
    {
        var (intake, broker) = Start();
        intake.Tell(new SetKillSwitch(true, false, "desk closed", "alice", Decision), TestActor);
        ExpectMsg<KillSwitchStatus>(Wait);
        Publish(Mode.Normal, Mode.SafeMode, 1);

        var outcome = SubmitAndFlush(intake, 1);

        Assert.Equal(PreTradeReasonCodes.KillSwitchActive, outcome.ReasonCode);
        Assert.False(broker.HasMessages);
    }

    [Fact]
    public void A_crashed_intake_still_knows_the_mode_and_still_has_the_intents_it_took_before_the_flush()
    {
        var (intake, broker) = Start();
        intake.Tell(new SubmitOrderIntent(OrderActorTests.Intent(Decision, quantity: 0.1m), null!));
        Stats(intake); // taken, not flushed

        Assert.True(Chaos.Crash(intake));
        intake.Tell(FlushIntents.Instance, TestActor);
        var kept = ExpectMsg<IntentsFlushed>(Wait).Outcomes.Single();
        Assert.Equal(IntentOutcomeKind.Submitted, kept.Kind);
        Assert.Equal(kept.ClientOrderId, broker.ExpectMsg<SubmitToBroker>(Wait).Request.ClientOrderId);

        Publish(Mode.Normal, Mode.SafeMode, 1);
        Stats(intake);
        Assert.True(Chaos.Crash(intake));
        var denied = SubmitAndFlush(intake, 1);
        Assert.Equal(PreTradeReasonCodes.ModeSafeMode, denied.ReasonCode);
        Assert.False(broker.HasMessages);
    }

    [Fact]
    public void A_live_intake_asks_the_mode_actor_after_recovery_and_holds_new_intents_until_it_answers()
    {
        var mode = CreateTestProbe();
        // Stands where the engine's mode actor would be (a selection finds actors under /user).
        Sys.ActorOf(Props.Create(() => new Forwarder(mode.Ref)), "mode");
        var (intake, broker) = Start(new OrderIntakeSettings { ModeActorPath = "/user/mode", BufferUntilFlush = false });
        mode.ExpectMsg<GetMode>(Wait);

        // Live intents normally become orders on arrival; this one waits for the mode.
        intake.Tell(new SubmitOrderIntent(OrderActorTests.Intent(Decision, quantity: 0.1m), null!));
        Assert.Equal(0, Stats(intake).Orders);
        mode.Reply(new ModeStatus(Mode.DegradedExec, "DEGRADED_EXEC", [], ModePermissions.For(Mode.DegradedExec),
            new Dictionary<HealthPath, DateTimeOffset>(), null, null, null, null, At));

        AwaitCondition(() => Stats(intake).Orders == 1, Wait, TimeSpan.FromMilliseconds(20));
        Assert.Equal(1, Stats(intake).DeniedByReason[PreTradeReasonCodes.ModeDegradedExec]);
        Assert.False(broker.HasMessages);
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(target.Forward);
    }
}
