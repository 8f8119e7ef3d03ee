using HueyP.Actors;
using HueyP.Domain.Faults;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Modes;
using HueyP.Persistence;
using HueyP.Persistence.Serialization;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Modes;

public sealed class ModeActorTests : Actors.TestKit.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _directory = Directory.CreateTempSubdirectory("hueyp-mode-").FullName;
    private readonly PersistenceStore _store;

    public ModeActorTests(ITestOutputHelper output) : base(output: output)
    {
        var settings = new JournalSettings { Provider = JournalProvider.Sqlite, Path = Path.Combine(_directory, "mode.db"), WriterId = "test" };
        _store = JournalFactory.Create(settings, ModeSerialization.Register(new EventSerializer()));
        PersistenceExtension.Install(Sys, _store);
    }

    public Task InitializeAsync() => _store.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    // Any timestamp: the actor stamps inputs with its own clock.
    private static readonly DateTimeOffset T = DateTimeOffset.MinValue;

    private IActorRef StartMode(ModeActorSettings? settings = null, string? name = null)
    {
        var mode = Sys.ActorOf(ModeActor.Props(settings), name ?? $"mode-{Guid.NewGuid():N}");
        // Once GetMode is answered, recovery is over and the EventStream subscription (PreStart) is in place.
        Status(mode);
        return mode;
    }

    private ModeStatus Status(IActorRef mode)
    {
        mode.Tell(GetMode.Instance, TestActor);
        return ExpectMsg<ModeStatus>(Wait);
    }

    private ModeCommandResult Send(IActorRef mode, IModeInput input)
    {
        mode.Tell(input, TestActor);
        return ExpectMsg<ModeCommandResult>(Wait);
    }

    // ModeChanged holds its causes in a list, which records compare by reference: compare the rendered lines.
    private List<string> History(IActorRef mode)
    {
        mode.Tell(new GetModeHistory(), TestActor);
        return ExpectMsg<ModeHistory>(Wait).Transitions.Select(t => t.ToString()).ToList();
    }

    private void Restart(ref IActorRef mode, ModeActorSettings? settings = null)
    {
        Watch(mode);
        Sys.Stop(mode);
        ExpectTerminated(mode, Wait);
        mode = StartMode(settings);
    }

    [Fact]
    public void A_route_away_from_the_primary_transport_enters_DEGRADED_COMM_naming_the_transport()
    {
        var mode = StartMode();
        var changes = CreateTestProbe();
        Sys.EventStream.Subscribe(changes.Ref, typeof(ModeChanged));

        Sys.EventStream.Publish(new TransportRouteChanged("socket", "pipe", "socket heartbeat lost"));

        var change = changes.ExpectMsg<ModeChanged>(Wait);
        Assert.Equal((Mode.Normal, Mode.DegradedComm), (change.From, change.To));
        Assert.Contains(change.Causes, c => c.Contains("pipe") && c.Contains("socket heartbeat lost"));
        var status = Status(mode);
        Assert.Equal(Mode.DegradedComm, status.Mode);
        Assert.Equal("DEGRADED_COMM", status.ModeName);
        var condition = Assert.Single(status.Conditions);
        Assert.Equal("transport.socket", condition.Key);
        Assert.Equal(TransportRoute.Fallback, status.Permissions.Transport);
        Assert.True(status.Permissions.AllowsNewEntries);
        Assert.Equal(change, status.LastTransition);
    }

    [Fact]
    public void SAFE_MODE_on_a_risk_veto_is_left_only_by_an_operator_clear()
    {
        var mode = StartMode();

        var veto = Send(mode, new RiskVeto(T, "drawdown", "daily loss limit reached"));
        Assert.True(veto.Accepted);
        Assert.Equal(Mode.SafeMode, veto.Mode);
        Assert.Contains("daily loss limit reached", Assert.Single(veto.Transition!.Causes));
        Assert.False(Status(mode).Permissions.AllowsNewEntries);

        // Perfect health, verification and a long wait do not leave SAFE_MODE.
        Send(mode, new HealthReported(T, 100, 100, 100));
        Send(mode, new PrimaryVerified(T, HealthPath.Exec, "shadow reads ok"));
        Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(Mode.SafeMode, Status(mode).Mode);

        var cleared = Send(mode, new OperatorClear(T, "loss limit reviewed", "alice"));

        Assert.True(cleared.Accepted);
        Assert.Equal(Mode.Normal, cleared.Mode);
        Assert.Contains(cleared.Transition!.Causes, c => c.Contains("alice") && c.Contains("loss limit reviewed"));
        Assert.Empty(Status(mode).Conditions);
    }

    [Fact]
    public void A_safety_fault_enters_SAFE_MODE_and_an_ordinary_fault_changes_nothing()
    {
        var mode = StartMode();
        var transient = new FaultClassification(FaultCategory.TransientNetwork, FaultScope.Provider, FaultAction.Retry, "socket");
        var invariant = new FaultClassification(FaultCategory.InvariantViolation, FaultScope.Global, FaultAction.HaltTrading, "invariant");

        Assert.Equal(Mode.Normal, Send(mode, new FaultReported(T, transient, "broker", "connection reset")).Mode);
        var result = Send(mode, new FaultReported(T, invariant, "ledger", "cash does not balance"));

        Assert.Equal(Mode.SafeMode, result.Mode);
        Assert.Contains("cash does not balance", Status(mode).Conditions.Single().Cause);
    }

    [Theory]
    [InlineData(null, "spool", false)]
    [InlineData("spool", "pipe", false)]
    [InlineData("pipe", "socket", false)]
    [InlineData("socket", "pipe", true)]
    [InlineData("pipe", "spool", true)]
    [InlineData("socket", null, true)]
    [InlineData("Socket", "carrier-pigeon", true)]
    public void A_route_change_is_a_loss_only_when_traffic_leaves_a_transport_for_a_worse_one_or_none(string? from, string? to, bool loss)
    {
        Assert.Equal(loss, new TransportRouteChanged(from, to, "test").IsLoss);
    }

    [Fact]
    public void A_bridge_that_starts_on_a_fallback_and_never_reaches_the_socket_enters_DEGRADED_COMM_once_the_grace_is_over()
    {
        var settings = ModeActorSettings.Default with { PrimaryGrace = TimeSpan.FromSeconds(60) };
        var mode = StartMode(settings);

        Sys.EventStream.Publish(new TransportRouteChanged(null, "spool", "Spool link up"));
        Sys.EventStream.Publish(new TransportRouteChanged("spool", "pipe", "Pipe link up"));
        Status(mode); // the routes are taken (and the grace started) before virtual time moves
        Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(Mode.Normal, Status(mode).Mode);

        Advance(TimeSpan.FromSeconds(2));
        var status = Status(mode);
        Assert.Equal(Mode.DegradedComm, status.Mode);
        var condition = Assert.Single(status.Conditions);
        Assert.Equal("transport.socket", condition.Key);
        Assert.Contains("not up 60 s after the bridge's first route", condition.Cause);
        Assert.Contains("traffic on pipe", condition.Cause);

        // The EA connects at last: the socket verifies the comm path, as after any repair.
        Sys.EventStream.Publish(new TransportRouteChanged("pipe", "socket", "Socket verified"));
        Assert.True(Status(mode).VerifiedAt.ContainsKey(HealthPath.Comm));
    }

    [Fact]
    public void A_bridge_that_reaches_the_socket_within_the_grace_never_degrades_at_startup()
    {
        var mode = StartMode();
        var changes = CreateTestProbe();
        Sys.EventStream.Subscribe(changes.Ref, typeof(ModeChanged));

        Sys.EventStream.Publish(new TransportRouteChanged(null, "spool", "Spool link up"));
        Sys.EventStream.Publish(new TransportRouteChanged("spool", "pipe", "Pipe link up"));
        Status(mode);
        Advance(TimeSpan.FromSeconds(5));
        Sys.EventStream.Publish(new TransportRouteChanged("pipe", "socket", "Socket verified"));
        Status(mode);
        Advance(ModeActorSettings.Default.PrimaryGrace * 2);

        changes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(Mode.Normal, Status(mode).Mode);
        Assert.Empty(History(mode));
    }

    [Fact]
    public void DEGRADED_COMM_returns_to_NORMAL_only_after_verification_and_the_full_dwell_with_every_gate_good()
    {
        var settings = ModeActorSettings.Default with { TickInterval = TimeSpan.FromSeconds(1) };
        var mode = StartMode(settings);
        var changes = CreateTestProbe();
        Sys.EventStream.Subscribe(changes.Ref, typeof(ModeChanged));
        var dwell = settings.Options.Dwell;

        Assert.Equal(Mode.DegradedComm, Send(mode, new HealthReported(T, 50, 100, 100)).Mode);
        changes.ExpectMsg<ModeChanged>(c => c.To == Mode.DegradedComm, Wait);

        // Above the entry threshold but below recovery: hysteresis keeps the mode and starts no dwell.
        Send(mode, new HealthReported(T, 80, 100, 100));
        Assert.Null(Status(mode).DwellSince);

        // Good health alone, for longer than the dwell, is not enough without verification of the primary path.
        Send(mode, new HealthReported(T, 95, 95, 95));
        Advance(dwell * 2);
        Assert.Equal(Mode.DegradedComm, Status(mode).Mode);
        Assert.Equal(TimeSpan.Zero, Status(mode).DwellRemaining);

        // The bridge comes back to the primary transport: verified; the dwell already ran, so the next tick recovers...
        // except the score dips during it, which breaks the dwell and starts it over.
        Send(mode, new HealthReported(T, 80, 95, 95));
        Sys.EventStream.Publish(new TransportRouteChanged("pipe", "socket", "socket link answered"));
        Send(mode, new HealthReported(T, 95, 95, 95));
        var started = Status(mode);
        Assert.Equal(Mode.DegradedComm, started.Mode);
        Assert.Equal(dwell, started.DwellRemaining);
        Assert.Equal(started.AsOf + dwell, started.RecoveryEta);
        Assert.True(started.VerifiedAt.ContainsKey(HealthPath.Comm));

        Advance(dwell / 2);
        var half = Status(mode);
        Assert.Equal(Mode.DegradedComm, half.Mode);
        Assert.Equal(dwell / 2, half.DwellRemaining);

        Advance(dwell / 2 + TimeSpan.FromSeconds(1));
        var recovered = changes.ExpectMsg<ModeChanged>(c => c.To == Mode.Normal, Wait);

        Assert.Equal(Mode.DegradedComm, recovered.From);
        Assert.Contains(recovered.Causes, c => c.Contains("primary verified"));
        Assert.Equal(Mode.Normal, Status(mode).Mode);
        Assert.Null(Status(mode).DwellRemaining);
    }

    [Fact]
    public void The_mode_its_causes_and_its_history_survive_a_restart()
    {
        var mode = StartMode();
        Sys.EventStream.Publish(new TransportRouteChanged("socket", "spool", "socket and pipe down"));
        Send(mode, new RiskVeto(T, "exposure", "gross exposure above cap"));
        var before = Status(mode);
        var history = History(mode);
        Assert.Equal(2, history.Count);
        Assert.Contains("NORMAL -> DEGRADED_COMM", history[0]);
        Assert.Contains("DEGRADED_COMM -> SAFE_MODE", history[1]);

        Restart(ref mode);

        var after = Status(mode);
        Assert.Equal(Mode.SafeMode, after.Mode);
        Assert.Equal(before.Conditions, after.Conditions);
        Assert.Equal(history, History(mode));
        // Still operator-only after the restart.
        Send(mode, new HealthReported(T, 100, 100, 100));
        Assert.Equal(Mode.SafeMode, Status(mode).Mode);
        Assert.Equal(Mode.DegradedComm, Send(mode, new OperatorClear(T, "exposure reduced", "bob")).Mode);
    }

    [Fact]
    public async Task Recovery_from_a_snapshot_gives_the_same_state_as_replaying_every_event()
    {
        var settings = ModeActorSettings.Default with { SnapshotEvery = 2 };
        var mode = StartMode(settings);
        Send(mode, new HealthReported(T, 100, 40, 100));
        Send(mode, new RiskVeto(T, "drawdown", "limit"));
        Send(mode, new PrimaryVerified(T, HealthPath.Signal, "shadow decisions ok"));
        var before = Status(mode);
        var history = History(mode);
        // The snapshot is written in the background; wait until it is there so the restart really starts from it.
        var criteria = HueyP.Persistence.Snapshots.SnapshotSelectionCriteria.Latest;
        for (var i = 0; i < 2000 && await _store.SnapshotStore.LoadAsync(ModeActor.PersistenceIdValue, criteria) is null; i++) await Task.Yield();
        Assert.NotNull(await _store.SnapshotStore.LoadAsync(ModeActor.PersistenceIdValue, criteria));

        Restart(ref mode, settings);

        var after = Status(mode);
        Assert.Equal(before.Mode, after.Mode);
        Assert.Equal(before.Conditions, after.Conditions);
        Assert.Equal(before.VerifiedAt, after.VerifiedAt);
        Assert.Equal(history, History(mode));
    }

    [Fact]
    public void Refused_inputs_answer_with_the_error_and_change_nothing()
    {
        var mode = StartMode();
        Send(mode, new HealthReported(T, 100, 50, 100));
        var before = Status(mode);
        var history = History(mode);

        var clear = Send(mode, new OperatorClear(T, "looks fine", "carol"));
        var scores = Send(mode, new HealthReported(T, 150, 100, 100));
        var anonymous = Send(mode, new RiskVeto(T, "", "no agent"));

        Assert.False(clear.Accepted);
        Assert.Contains("not in SAFE_MODE", clear.Error);
        Assert.False(scores.Accepted);
        Assert.Contains("[0,100]", scores.Error);
        Assert.False(anonymous.Accepted);
        Assert.All([clear, scores, anonymous], r => Assert.Equal(Mode.DegradedSignal, r.Mode));
        var after = Status(mode);
        Assert.Equal(before.Conditions, after.Conditions);
        Assert.Equal(before.DwellSince, after.DwellSince);
        Assert.Equal(history, History(mode));

        // Nothing refused was journaled: a restart sees the same state.
        Restart(ref mode);
        Assert.Equal(before.Conditions, Status(mode).Conditions);
        Assert.Equal(history, History(mode));
    }
}
