using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;
using HueyP.Engine.Breakers;
using HueyP.Engine.Health;
using HueyP.Engine.Modes;
using HueyP.Persistence;
using Xunit.Abstractions;

namespace HueyP.Engine.Tests.Health;

/// <summary>
/// The health sampler drives the mode ladder from real signals (breakers, gauges, the bridge's route) on virtual time:
/// entry below comm 70 / signal 65 / exec 60, exit only with every gate at 85 held for the 20 s dwell and the path
/// verified, SAFE_MODE only by an operator.
/// </summary>
public sealed class HealthSamplerTests : JournaledTestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public HealthSamplerTests(ITestOutputHelper output) : base(output, "health")
    {
    }

    private sealed record Ladder(IActorRef Mode, IActorRef Breakers, IActorRef Sampler);

    private Ladder Start(HealthSamplerSettings? settings = null)
    {
        var breakers = Sys.ActorOf(BreakersActor.Props(), "breakers");
        var mode = Sys.ActorOf(ModeActor.Props(), "mode");
        Ask<ModeStatus>(mode, GetMode.Instance);
        var sampler = Sys.ActorOf(HealthSamplerActor.Props(mode, breakers, settings), "health");
        var ladder = new Ladder(mode, breakers, sampler);
        Pump(ladder, 1);
        return ladder;
    }

    private T Ask<T>(IActorRef target, object message)
    {
        target.Tell(message, TestActor);
        return ExpectMsg<T>(Wait);
    }

    /// <summary>
    /// Moves virtual time a second at a time; after each second the sampler and the mode have taken everything sent so
    /// far (a round trip through each, in the order messages flow: breakers, sampler, mode).
    /// </summary>
    private void Pump(Ladder ladder, int seconds)
    {
        for (var i = 0; i < seconds; i++)
        {
            Advance(TimeSpan.FromSeconds(1));
            Ask<BreakersStatus>(ladder.Breakers, GetBreakers.Instance);
            Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance);
            Ask<ModeStatus>(ladder.Mode, GetMode.Instance);
        }
    }

    private ModeStatus Status(Ladder ladder) => Ask<ModeStatus>(ladder.Mode, GetMode.Instance);

    private void FailBreaker(Ladder ladder, string dependency)
    {
        for (var i = 0; i < 3; i++) Ask<BreakerView>(ladder.Breakers, new ReportOutcome(dependency, false, "connection refused"));
    }

    [Fact]
    public void Healthy_signals_keep_NORMAL_and_the_sampled_scores_are_at_100()
    {
        var ladder = Start();
        Pump(ladder, 30);

        var health = Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance);
        Assert.Equal((100d, 100d, 100d), (health.Comm.Score, health.Signal.Score, health.Exec.Score));
        Assert.Equal(Mode.Normal, Status(ladder).Mode);
    }

    [Fact]
    public void The_route_going_nowhere_enters_DEGRADED_COMM_data_breakers_open_enter_DEGRADED_SIGNAL_and_the_submit_breaker_enters_DEGRADED_EXEC()
    {
        var ladder = Start();

        Sys.EventStream.Publish(new TransportRouteChanged("socket", null, "every transport down"));
        // The mode takes the route before time moves, so its condition is older than the sampler's health.comm.
        Status(ladder);
        Pump(ladder, 2);
        var comm = Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Comm;
        Assert.True(comm.Score < 70, comm.ToString());
        Assert.Contains(Status(ladder).Conditions, c => c.Key == "health.comm" && c.Cause.StartsWith("comm health", StringComparison.Ordinal));

        FailBreaker(ladder, Dependencies.DataPrimary);
        FailBreaker(ladder, Dependencies.DataFallback);
        Pump(ladder, 2);
        Assert.True(Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Signal.Score < 65);
        Assert.Equal(Mode.DegradedSignal, Status(ladder).Mode);

        FailBreaker(ladder, Dependencies.BrokerSubmit);
        Pump(ladder, 2);
        var exec = Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Exec;
        Assert.Equal(HealthScoring.CriticalCap, exec.Score);
        var status = Status(ladder);
        Assert.Equal(Mode.DegradedExec, status.Mode);
        Assert.Equal(["health.exec", "health.signal", "transport.socket", "health.comm"], status.Conditions.Select(c => c.Key));
        Assert.False(status.Permissions.AllowsNewEntries);
    }

    /// <summary>The bridge at node start: spool first, then the pipe, then the socket once the EA connects.</summary>
    private void BridgeStartsUp(Ladder ladder)
    {
        Sys.EventStream.Publish(new TransportRouteChanged(null, "spool", "Spool link up"));
        Pump(ladder, 3);
        Sys.EventStream.Publish(new TransportRouteChanged("spool", "pipe", "Pipe link up"));
        Pump(ladder, 2);
        Sys.EventStream.Publish(new TransportRouteChanged("pipe", "socket", "Socket verified: 3 loop-around probes answered"));
        Pump(ladder, 2);
    }

    [Fact]
    public void The_bridge_establishing_its_first_route_at_startup_is_not_a_degradation_but_losing_the_socket_later_is()
    {
        var ladder = Start();
        var changes = CreateTestProbe();
        Sys.EventStream.Subscribe(changes.Ref, typeof(ModeChanged));

        BridgeStartsUp(ladder);
        Pump(ladder, 30);
        changes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        var status = Status(ladder);
        Assert.Equal(Mode.Normal, status.Mode);
        Assert.Empty(status.Conditions);
        Assert.Equal(100, Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Comm.Score);

        Sys.EventStream.Publish(new TransportRouteChanged("socket", "pipe", "Socket link down: connection reset"));
        Pump(ladder, 1);
        var lost = changes.ExpectMsg<ModeChanged>(Wait);
        Assert.Equal((Mode.Normal, Mode.DegradedComm), (lost.From, lost.To));
        Assert.Contains(Status(ladder).Conditions, c => c.Key == "transport.socket" && c.Cause.Contains("traffic on pipe"));
    }

    [Fact]
    public void After_startup_a_lost_socket_that_is_repaired_and_routed_back_returns_to_NORMAL_after_the_dwell()
    {
        var ladder = Start();
        BridgeStartsUp(ladder);

        Sys.EventStream.Publish(new TransportRouteChanged("socket", "pipe", "Socket link down: chaos close"));
        Pump(ladder, 5);
        Assert.Equal(Mode.DegradedComm, Status(ladder).Mode);

        // The repaired socket answered its probes and took the traffic back: the comm path is verified and, every
        // gate being good, the dwell runs; the route changes of startup and of the repair are no flapping.
        Sys.EventStream.Publish(new TransportRouteChanged("pipe", "socket", "Socket verified: 3 loop-around probes answered"));
        Pump(ladder, 2);
        var repaired = Status(ladder);
        Assert.True(repaired.VerifiedAt.ContainsKey(HealthPath.Comm));
        Assert.True(Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Comm.Score >= ModeOptions.Default.CommRecover);
        Assert.NotNull(repaired.DwellSince);

        Pump(ladder, 20);
        var status = Status(ladder);
        Assert.Equal(Mode.Normal, status.Mode);
        Assert.Empty(status.Conditions);
    }

    [Fact]
    public void A_socket_that_keeps_dropping_counts_as_flapping_and_holds_comm_below_its_recovery_threshold()
    {
        var ladder = Start();
        BridgeStartsUp(ladder);
        for (var i = 0; i < 5; i++)
        {
            Sys.EventStream.Publish(new TransportRouteChanged("socket", "pipe", $"Socket link down #{i}"));
            Pump(ladder, 2);
            Sys.EventStream.Publish(new TransportRouteChanged("pipe", "socket", $"Socket verified #{i}"));
            Pump(ladder, 2);
        }
        Pump(ladder, 30);

        var comm = Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Comm;
        Assert.Contains(comm.Components, c => c.Name == "reconnects" && c.Raw == 5);
        Assert.True(comm.Score < ModeOptions.Default.CommRecover, comm.ToString());
        var status = Status(ladder);
        Assert.Equal(Mode.DegradedComm, status.Mode);
        Assert.Null(status.DwellSince);
    }

    [Fact]
    public void Exec_between_its_entry_and_recovery_thresholds_stays_degraded_without_flapping_and_leaves_only_after_85_held_for_the_dwell_and_a_verification()
    {
        var ladder = Start();
        var changes = CreateTestProbe();
        Sys.EventStream.Subscribe(changes.Ref, typeof(ModeChanged));

        // Broker and journal latency at their bad ends: exec = 0.35 breakers + 0.2 reject rate = 55 < 60.
        Sys.EventStream.Publish(new HealthGauge(HealthGauges.BrokerLatencyMs, 3000));
        Sys.EventStream.Publish(new HealthGauge(HealthGauges.JournalLatencyMs, 1000));
        Pump(ladder, 2);
        Assert.Equal(55, Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Exec.Score, 3);
        Assert.Equal(Mode.DegradedExec, changes.ExpectMsg<ModeChanged>(Wait).To);

        // Recovering to 80 (above entry, below recovery) for a minute, verified: still degraded, no transition.
        for (var i = 0; i < 12; i++)
        {
            Sys.EventStream.Publish(new HealthGauge(HealthGauges.BrokerLatencyMs, 200));
            Sys.EventStream.Publish(new HealthGauge(HealthGauges.JournalLatencyMs, 1000));
            Pump(ladder, 5);
        }
        Ask<ModeCommandResult>(ladder.Mode, new PrimaryVerified(default, HealthPath.Exec, "shadow reads ok"));
        Pump(ladder, 5);
        Assert.Equal(80, Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Exec.Score, 3);
        Assert.Equal(Mode.DegradedExec, Status(ladder).Mode);
        Assert.Null(Status(ladder).DwellSince);
        changes.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Every gate at 100: the dwell runs; 19 s in, still degraded; after 20 s and the verification, NORMAL.
        Sys.EventStream.Publish(new HealthGauge(HealthGauges.JournalLatencyMs, 10));
        Pump(ladder, 2);
        Ask<ModeCommandResult>(ladder.Mode, new PrimaryVerified(default, HealthPath.Exec, "shadow reads ok again"));
        var dwellSince = Status(ladder).DwellSince;
        Assert.NotNull(dwellSince);
        Pump(ladder, 17);
        Assert.Equal(Mode.DegradedExec, Status(ladder).Mode);
        Pump(ladder, 3);
        var back = changes.ExpectMsg<ModeChanged>(Wait);
        Assert.Equal((Mode.DegradedExec, Mode.Normal), (back.From, back.To));
        Assert.True(back.At - dwellSince!.Value >= ModeOptions.Default.Dwell, $"left after {back.At - dwellSince.Value}");
    }

    [Fact]
    public void A_gauge_that_falls_silent_counts_as_missing_and_a_gauge_never_wired_counts_as_good()
    {
        var ladder = Start(HealthSamplerSettings.Default with { GaugeStaleAfter = TimeSpan.FromSeconds(10) });
        Sys.EventStream.Publish(new HealthGauge(HealthGauges.HeartbeatAgeS, 1));
        Pump(ladder, 2);
        Assert.Equal(100, Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Comm.Score);

        Pump(ladder, 12);
        var comm = Ask<HealthSampled>(ladder.Sampler, GetHealth.Instance).Comm;
        Assert.Contains(comm.Components, c => c.Name == "heartbeat_age_s" && c.Missing);
        // One silent gauge of four: above entry (no false alarm), below recovery (no recovery on faith).
        Assert.InRange(comm.Score, 70, 84.9);
        Assert.Equal(Mode.Normal, Status(ladder).Mode);
    }

    [Fact]
    public void With_journal_outage_set_to_SAFE_MODE_an_open_journal_breaker_halts_and_only_an_operator_clear_leaves()
    {
        var ladder = Start(HealthSamplerSettings.Default with { JournalOutage = JournalOutageAction.SafeMode });

        // Persistent actors publish their failed writes; the sampler counts them against the journal breaker.
        for (var i = 0; i < 3; i++) Sys.EventStream.Publish(new JournalWriteFailed("order-intake", "attempt to write a readonly database"));
        AwaitCondition(() => Ask<BreakersStatus>(ladder.Breakers, GetBreakers.Instance).StatusOf(Dependencies.Journal) == BreakerStatus.Open, Wait);
        Pump(ladder, 2);
        var status = Status(ladder);
        Assert.Equal(Mode.SafeMode, status.Mode);
        Assert.Contains(status.Conditions, c => c.Kind == ConditionKind.DependencyHalt && c.Cause.Contains("readonly database"));

        Ask<BreakerView>(ladder.Breakers, new ResetBreaker(Dependencies.Journal, "disk remounted read-write", "ops"));
        Ask<ModeCommandResult>(ladder.Mode, new PrimaryVerified(default, HealthPath.Exec, "probe writes ok"));
        Pump(ladder, 60);
        Assert.Equal(Mode.SafeMode, Status(ladder).Mode);

        var cleared = Ask<ModeCommandResult>(ladder.Mode, new OperatorClear(default, "journal back and verified", "alice"));
        Assert.Equal(Mode.Normal, cleared.Mode);
    }
}
