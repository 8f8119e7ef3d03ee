using HueyP.Domain.Breakers;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Tests.Breakers;

public class BreakerMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly BreakerMachine Machine = new(DependencyBreakerOptions.Default);

    private static DateTimeOffset S(double seconds) => T0.AddSeconds(seconds);

    private static BreakerState Fail(BreakerState state, double at, string cause = "timeout") => Machine.OnFailure(state, S(at), cause).State;

    [Fact]
    public void Two_failures_in_a_minute_keep_it_closed_the_third_opens_it_for_60_s()
    {
        var state = Fail(Fail(BreakerState.Initial(Dependencies.BrokerReads), 0), 10);
        Assert.Equal(BreakerStatus.Closed, state.Status);

        var step = Machine.OnFailure(state, S(20), "timeout");
        Assert.Equal(BreakerStatus.Open, step.State.Status);
        var opened = Assert.IsType<BreakerOpened>(step.Events[^1]);
        Assert.Equal(S(80), opened.Until);
        Assert.Equal(BreakerLevel.Short, opened.Level);
        Assert.Equal(3, opened.FailuresInWindow);
        Assert.Contains("3 failures in 1 min", opened.Cause);
        Assert.Contains("timeout", opened.Cause);
    }

    [Fact]
    public void Failures_spread_wider_than_the_window_do_not_open()
    {
        var state = Fail(Fail(Fail(BreakerState.Initial(Dependencies.Bridge), 0), 40), 70);
        Assert.Equal(BreakerStatus.Closed, state.Status);
    }

    [Fact]
    public void While_open_requests_are_rejected_with_the_time_to_come_back()
    {
        var state = Fail(Fail(Fail(BreakerState.Initial(Dependencies.DataPrimary), 0), 1), 2);
        var step = Machine.TryAcquire(state, S(30));
        Assert.Equal(Admission.Rejected, step.Admission);
        Assert.Equal(S(62), step.RetryAt);
        Assert.Empty(step.Events);
        Assert.False(state.AllowsRequest(S(61)));
        Assert.True(state.AllowsRequest(S(62)));
    }

    [Fact]
    public void Half_open_admits_exactly_one_probe()
    {
        var state = Fail(Fail(Fail(BreakerState.Initial(Dependencies.BrokerSubmit), 0), 1), 2);
        var probe = Machine.TryAcquire(state, S(62));
        Assert.Equal(Admission.Probe, probe.Admission);
        Assert.IsType<BreakerProbeAdmitted>(Assert.Single(probe.Events));
        Assert.Equal(BreakerStatus.HalfOpen, probe.State.Status);

        var second = Machine.TryAcquire(probe.State, S(63));
        Assert.Equal(Admission.Rejected, second.Admission);
        Assert.False(probe.State.AllowsRequest(S(63)));
    }

    [Fact]
    public void Probe_success_closes()
    {
        var state = Fail(Fail(Fail(BreakerState.Initial(Dependencies.Journal), 0), 1), 2);
        state = Machine.TryAcquire(state, S(62)).State;
        var step = Machine.OnSuccess(state, S(63));
        var closed = Assert.IsType<BreakerClosed>(Assert.Single(step.Events));
        Assert.Equal("probe succeeded", closed.Cause);
        Assert.Equal(BreakerStatus.Closed, step.State.Status);
        Assert.Equal(Admission.Allowed, Machine.TryAcquire(step.State, S(64)).Admission);
    }

    [Fact]
    public void Success_while_closed_changes_nothing()
    {
        var state = Fail(BreakerState.Initial(Dependencies.Journal), 0);
        var step = Machine.OnSuccess(state, S(1));
        Assert.Empty(step.Events);
        Assert.Same(state, step.State);
    }

    [Fact]
    public void Probe_failure_reopens_and_repeated_probe_failures_escalate_to_15_minutes()
    {
        // 3 failures at 0,1,2 s -> open until 62. Each probe fails: 4th..9th failure reopen for 60 s,
        // the 10th failure within 10 min opens for 15 min.
        var state = Fail(Fail(Fail(BreakerState.Initial(Dependencies.DataPrimary), 0), 1), 2);
        var t = 62.0;
        var durations = new List<double>();
        for (var failure = 4; failure <= 10; failure++)
        {
            state = Machine.TryAcquire(state, S(t)).State;
            Assert.Equal(BreakerStatus.HalfOpen, state.Status);
            var step = Machine.OnFailure(state, S(t), "still down");
            var opened = Assert.IsType<BreakerOpened>(step.Events[^1]);
            Assert.StartsWith("probe failed", opened.Cause);
            durations.Add((opened.Until - opened.At).TotalSeconds);
            state = step.State;
            t = (opened.Until - T0).TotalSeconds;
        }
        Assert.Equal([60, 60, 60, 60, 60, 60, 900], durations);
        Assert.Equal(BreakerLevel.Long, state.Level);

        // Once at the long level a failed probe never shortens the wait, even as old failures leave the window.
        state = Machine.TryAcquire(state, S(t)).State;
        var again = Assert.IsType<BreakerOpened>(Machine.OnFailure(state, S(t), "still down").Events[^1]);
        Assert.Equal(BreakerLevel.Long, again.Level);
        Assert.Equal(TimeSpan.FromMinutes(15), again.Until - again.At);
    }

    [Fact]
    public void Ten_failures_in_ten_minutes_across_recoveries_open_for_15_minutes()
    {
        // A flapping dependency: trips on bursts, recovers on the probe, trips again. Failures are remembered
        // across recoveries, so the tenth within ten minutes opens for the long period.
        var state = BreakerState.Initial(Dependencies.Bridge);
        var t = 0.0;
        var levels = new List<BreakerLevel>();
        for (var cycle = 0; cycle < 4; cycle++)
        {
            for (var i = 0; i < 3 && state.Status == BreakerStatus.Closed; i++)
            {
                var step = Machine.OnFailure(state, S(t), "reset by peer");
                state = step.State;
                if (step.Events[^1] is BreakerOpened o) levels.Add(o.Level);
                t += 1;
            }
            if (cycle == 3) break;
            t = (state.OpenUntil!.Value - T0).TotalSeconds;
            state = Machine.TryAcquire(state, S(t)).State;
            state = Machine.OnSuccess(state, S(t)).State;
            Assert.Equal(BreakerStatus.Closed, state.Status);
        }
        Assert.Equal([BreakerLevel.Short, BreakerLevel.Short, BreakerLevel.Short, BreakerLevel.Long], levels);
        Assert.Equal(S(t - 1).AddMinutes(15), state.OpenUntil);
    }

    [Fact]
    public void Failures_older_than_the_long_window_are_forgotten()
    {
        var state = BreakerState.Initial(Dependencies.BrokerReads);
        for (var i = 0; i < 5; i++) state = Fail(state, i * 100); // 0..400 s, never 3 within a minute
        state = Fail(state, 650); // 0 s is now more than 10 min ago, 100 s is not
        Assert.Equal([S(100), S(200), S(300), S(400), S(650)], state.RecentFailures);
    }

    [Fact]
    public void Reset_closes_and_forgets_failures_with_the_reason()
    {
        var state = Fail(Fail(Fail(BreakerState.Initial(Dependencies.BrokerSubmit), 0), 1), 2);
        var step = Machine.Reset(state, S(5), "operator: broker maintenance over");
        var closed = Assert.IsType<BreakerClosed>(Assert.Single(step.Events));
        Assert.Contains("broker maintenance over", closed.Cause);
        Assert.Equal(BreakerStatus.Closed, step.State.Status);
        Assert.Empty(step.State.RecentFailures);
        // Fresh start: two more failures do not reopen it.
        Assert.Equal(BreakerStatus.Closed, Fail(Fail(step.State, 6), 7).Status);
    }

    [Fact]
    public void Replaying_the_events_rebuilds_the_same_state()
    {
        var live = BreakerState.Initial(Dependencies.DataFallback);
        var journal = new List<IBreakerEvent>();
        void Record(BreakerStep step) { journal.AddRange(step.Events); live = step.State; }
        Record(Machine.OnFailure(live, S(0), "a"));
        Record(Machine.OnFailure(live, S(1), "b"));
        Record(Machine.OnFailure(live, S(2), "c"));
        Record(Machine.TryAcquire(live, S(62)));
        Record(Machine.OnFailure(live, S(63), "d"));
        Record(Machine.OnFailure(live, S(900), "late"));

        var replayed = journal.Aggregate(BreakerState.Initial(Dependencies.DataFallback), (s, e) => s.Apply(e));
        Assert.Equal(live.Status, replayed.Status);
        Assert.Equal(live.OpenUntil, replayed.OpenUntil);
        Assert.Equal(live.RecentFailures, replayed.RecentFailures);
        Assert.Equal(live.TimesOpened, replayed.TimesOpened);
    }

    [Fact]
    public void Bad_input_is_refused_and_the_state_is_unchanged()
    {
        var state = Fail(BreakerState.Initial(Dependencies.Journal), 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => Machine.OnFailure(state, S(5), "earlier"));
        Assert.Throws<ArgumentException>(() => Machine.OnFailure(state, S(11), " "));
        Assert.Throws<ArgumentException>(() => Machine.Reset(state, S(11), ""));
        Assert.Throws<ArgumentException>(() => BreakerState.Initial(""));
        Assert.Throws<ArgumentException>(() => state.Apply(new BreakerProbeAdmitted(Dependencies.Bridge, S(11))));
        Assert.Single(state.RecentFailures);
    }

    [Fact]
    public void Options_are_validated_with_keys()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() => new BreakerMachine(
            DependencyBreakerOptions.Default with { LongThreshold = 2, LongOpen = TimeSpan.FromSeconds(10), ShortThreshold = 0 }, Dependencies.Bridge));
        var keys = ex.Errors.Select(e => e.Key).ToList();
        Assert.Contains("hueyp.breakers.bridge.short_threshold", keys);
        Assert.Contains("hueyp.breakers.bridge.long_open_s", keys);
        Assert.Empty(DependencyBreakerOptions.Default.Validate());
        Assert.Equal(6, Dependencies.All.Count);
    }

    [Fact]
    public void The_state_reads_well_in_the_cli()
    {
        var state = Fail(Fail(Fail(BreakerState.Initial(Dependencies.BrokerSubmit), 0), 1), 2, "connection refused");
        Assert.Contains("broker_submit: open until", state.ToString());
        Assert.Contains("connection refused", state.ToString());
    }
}
