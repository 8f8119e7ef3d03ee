using HueyP.Actors;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Intents;
using HueyP.Engine.Modes;
using HueyP.Engine.Orders;
using HueyP.Engine.Tests.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Modes;

/// <summary>
/// The operator's hold on new entries (`hueyp mode hold`): the mode actor keeps the engine at DEGRADED_EXEC or worse
/// until released, so the intake denies new orders while exits (operator cancels, stops and take-profits at the broker)
/// still go through; the hold is journaled with who and why and survives a restart.
/// </summary>
public sealed class EntryHoldTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTime Decision = new(2025, 4, 1, 10, 35, 0, DateTimeKind.Utc);
    private readonly PersistenceStore _store;

    public EntryHoldTests(ITestOutputHelper output) : base(output: output)
    {
        _store = JournalFactory.Create(OrderReplayTests.Journal(TestData.TempFile("entry-hold.db")), ModeSerialization.Register(OrderSideSerialization.Create()));
        PersistenceExtension.Install(Sys, _store);
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private IActorRef StartMode()
    {
        var mode = Sys.ActorOf(ModeActor.Props(), "mode");
        Status(mode);
        return mode;
    }

    private ModeStatus Status(IActorRef mode)
    {
        mode.Tell(GetMode.Instance, TestActor);
        return ExpectMsg<ModeStatus>(Wait);
    }

    private ModeCommandResult Hold(IActorRef mode, bool on, string reason = "NFP at 14:30", string who = "alice")
    {
        mode.Tell(new HoldEntries(on, reason, who), TestActor);
        return ExpectMsg<ModeCommandResult>(Wait);
    }

    private IntentOutcome SubmitAndFlush(IActorRef intake, int minute, Side side = Side.Buy)
    {
        intake.Tell(new SubmitOrderIntent(OrderActorTests.Intent(Decision.AddMinutes(minute), side, quantity: 0.1m), null!));
        intake.Tell(FlushIntents.Instance, TestActor);
        return ExpectMsg<IntentsFlushed>(Wait).Outcomes.Single();
    }

    [Fact]
    public void A_held_engine_denies_new_entries_with_a_clear_reason_and_still_processes_exits_until_released()
    {
        var mode = StartMode();
        var broker = CreateTestProbe();
        var orders = Sys.ActorOf(OrderRegion.Props(() => broker.Ref, null), "orders");
        var intake = Sys.ActorOf(OrderIntakeActor.Props(new OrderIntakeSettings { ModeActorPath = "/user/mode" }, orders, null, new IntakeMemory()), "intake");
        var before = SubmitAndFlush(intake, 1);
        Assert.Equal(IntentOutcomeKind.Submitted, before.Kind);
        broker.ExpectMsg<SubmitToBroker>(Wait);

        var held = Hold(mode, on: true);
        var denied = SubmitAndFlush(intake, 2);
        // An exit: the working order is canceled at the broker while entries are held.
        orders.Tell(new CancelOrder(before.ClientOrderId!, Decision.AddMinutes(2)), TestActor);
        var cancel = ExpectMsg<CancelOrderResult>(Wait);
        var status = Status(mode);

        Assert.True(held.Accepted);
        Assert.Equal(Mode.DegradedExec, held.Mode);
        Assert.Equal(Mode.Normal, held.Transition!.From);
        Assert.Contains("new entries held by alice: NFP at 14:30", held.Transition.Causes);
        Assert.Equal(IntentOutcomeKind.Denied, denied.Kind);
        Assert.Equal(PreTradeReasonCodes.ModeDegradedExec, denied.ReasonCode);
        Assert.Contains("DEGRADED_EXEC", denied.Detail);
        Assert.True(cancel.Requested, cancel.Error);
        Assert.Equal(before.ClientOrderId, broker.ExpectMsg<CancelAtBroker>(Wait).ClientOrderId);
        Assert.False(broker.HasMessages);
        Assert.Equal(Mode.DegradedExec, status.Mode);
        Assert.Equal(Mode.Normal, status.LadderMode);
        Assert.False(status.Permissions.AllowsNewEntries);
        Assert.True(status.Permissions.AllowsExitManagement);
        Assert.Equal("alice", status.Hold!.Who);
        Assert.Equal("NFP at 14:30", status.Hold.Reason);

        var released = Hold(mode, on: false, reason: "numbers out", who: "bob");
        // A sell: a second identical buy on the same bar would be blocked as a duplicate, whatever the mode.
        var after = SubmitAndFlush(intake, 3, Side.Sell);

        Assert.Equal(Mode.Normal, released.Mode);
        Assert.Contains("new entries released by bob: numbers out", released.Transition!.Causes);
        Assert.True(after.Kind == IntentOutcomeKind.Submitted, $"{after.Kind} {after.ReasonCode}: {after.Detail}");
        Assert.Equal(after.ClientOrderId, broker.ExpectMsg<SubmitToBroker>(Wait).Request.ClientOrderId);
    }

    [Fact]
    public void The_hold_survives_a_restart_with_who_and_why_and_shows_in_the_history()
    {
        var mode = StartMode();
        Hold(mode, on: true, reason: "broker maintenance", who: "carol");
        Watch(mode);
        Sys.Stop(mode);
        ExpectTerminated(mode, Wait);

        var again = StartMode();
        var status = Status(again);
        again.Tell(new GetModeHistory(), TestActor);
        var history = ExpectMsg<ModeHistory>(Wait);

        Assert.Equal(Mode.DegradedExec, status.Mode);
        Assert.Equal("carol", status.Hold!.Who);
        Assert.Equal("broker maintenance", status.Hold.Reason);
        Assert.False(status.Permissions.AllowsNewEntries);
        var transition = Assert.Single(history.Transitions);
        Assert.Equal((Mode.Normal, Mode.DegradedExec), (transition.From, transition.To));
        Assert.Contains("carol", transition.Causes.Single());
    }

    [Fact]
    public void While_held_the_ladder_cannot_lower_the_mode_below_DEGRADED_EXEC_and_a_worse_mode_still_shows()
    {
        var mode = StartMode();
        var published = CreateTestProbe();
        Sys.EventStream.Subscribe(published.Ref, typeof(ModeChanged));
        Hold(mode, on: true);
        Assert.Equal(Mode.DegradedExec, published.ExpectMsg<ModeChanged>(Wait).To);

        // The comm path fails and recovers underneath: nothing changes outside while held.
        mode.Tell(new HealthReported(default, 10, 100, 100), TestActor);
        Assert.Equal(Mode.DegradedExec, ExpectMsg<ModeCommandResult>(Wait).Mode);
        // SAFE_MODE is worse than the hold: it shows.
        mode.Tell(new HaltRequested(default, "journal", "lost"), TestActor);
        Assert.Equal(Mode.SafeMode, ExpectMsg<ModeCommandResult>(Wait).Mode);
        var safe = published.ExpectMsg<ModeChanged>(Wait);
        Assert.Equal((Mode.DegradedExec, Mode.SafeMode), (safe.From, safe.To));
        // Refused without a reason; nothing changes.
        var refused = Hold(mode, on: false, reason: " ");

        Assert.False(refused.Accepted);
        Assert.Contains("reason", refused.Error);
        Assert.NotNull(Status(mode).Hold);
    }
}
