using HueyP.Domain.Breakers;
using HueyP.Domain.Health;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Tests.Health;

public class HealthScorerTests
{
    private static readonly HealthScorer Scorer = HealthScorer.Default;
    private static readonly CommSnapshot GoodComm = new(20, 0, 0, 1);
    private static readonly SignalSnapshot GoodSignal = new(1, 0, 1);
    private static readonly ExecSnapshot GoodExec = new(100, 0, 5, BreakerStatus.Closed, BreakerStatus.Closed, BreakerStatus.Closed);

    [Fact]
    public void Healthy_inputs_score_100_on_every_path()
    {
        Assert.Equal(100, Scorer.Comm(GoodComm).Score, 9);
        Assert.Equal(100, Scorer.Signal(GoodSignal).Score, 9);
        Assert.Equal(100, Scorer.Exec(GoodExec).Score, 9);
    }

    [Fact]
    public void Comm_is_the_documented_weighted_mean()
    {
        // latency 525 ms is half way 50..1000 -> 50; drop 1% of 5% -> 80; 1 reconnect of 5 -> 80; heartbeat 2 s -> 100
        var score = Scorer.Comm(new CommSnapshot(525, 0.01, 1, 2));
        Assert.Equal(0.25 * 50 + 0.25 * 80 + 0.2 * 80 + 0.3 * 100, score.Score, 9);
        Assert.Equal(4, score.Components.Count);
        Assert.False(score.Capped);
    }

    [Fact]
    public void A_dead_heartbeat_caps_comm_at_40_whatever_else_looks_fine()
    {
        var score = Scorer.Comm(GoodComm with { HeartbeatAgeS = 30 });
        Assert.Equal(HealthScoring.CriticalCap, score.Score);
        Assert.True(score.Capped);
    }

    [Fact]
    public void Signal_is_the_documented_weighted_mean_and_higher_availability_is_better()
    {
        // age 5 s -> 100; rejects 5% of 10% -> 50; features 75% between 100% and 50% -> 50
        var score = Scorer.Signal(new SignalSnapshot(5, 0.05, 0.75));
        Assert.Equal(0.4 * 100 + 0.3 * 50 + 0.3 * 50, score.Score, 9);
        Assert.Equal(HealthScoring.CriticalCap, Scorer.Signal(GoodSignal with { DataAgeS = 120 }).Score);
    }

    [Fact]
    public void Exec_counts_breaker_states_and_an_open_submit_or_journal_breaker_caps_it()
    {
        var readsOpen = Scorer.Exec(GoodExec with { BrokerReads = BreakerStatus.Open });
        Assert.Equal(0.25 * 100 + 0.2 * 100 + 0.35 * 50 + 0.2 * 100, readsOpen.Score, 9);

        var submitHalfOpen = Scorer.Exec(GoodExec with { BrokerSubmit = BreakerStatus.HalfOpen });
        Assert.Equal(0.25 * 100 + 0.2 * 100 + 0.35 * 50 + 0.2 * 100, submitHalfOpen.Score, 9);

        Assert.Equal(HealthScoring.CriticalCap, Scorer.Exec(GoodExec with { BrokerSubmit = BreakerStatus.Open }).Score);
        Assert.Equal(HealthScoring.CriticalCap, Scorer.Exec(GoodExec with { Journal = BreakerStatus.Open }).Score);
    }

    [Fact]
    public void Exec_weighted_mean_of_latencies_and_rejects()
    {
        // broker 1600 ms half way 200..3000 -> 50; rejects 10% of 20% -> 50; journal 510 ms half way 20..1000 -> 50
        var score = Scorer.Exec(GoodExec with { BrokerLatencyMs = 1600, OrderRejectRate = 0.1, JournalLatencyMs = 510 });
        Assert.Equal(0.25 * 50 + 0.2 * 50 + 0.35 * 100 + 0.2 * 50, score.Score, 9);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-5.0)]
    [InlineData(null)]
    public void Missing_or_unbelievable_inputs_score_as_bad_without_crashing(double? latency)
    {
        var score = Scorer.Comm(GoodComm with { TransportLatencyMs = latency });
        // One of four gauges silent: above the entry threshold (70) but below recovery (85).
        Assert.Equal(75, score.Score, 9);
        var component = score.Components.Single(c => c.Name == "transport_latency_ms");
        Assert.True(component.Missing);
        Assert.Contains("transport_latency_ms=missing", score.ToString());
    }

    [Fact]
    public void A_missing_critical_input_is_bad_but_does_not_trigger_the_cap()
    {
        Assert.Equal(70, Scorer.Comm(GoodComm with { HeartbeatAgeS = double.NaN }).Score, 9);
        Assert.Equal(65, Scorer.Exec(GoodExec with { Journal = null }).Score, 9);
    }

    [Fact]
    public void Everything_missing_scores_zero()
    {
        Assert.Equal(0, Scorer.Comm(new CommSnapshot(null, null, null, null)).Score);
        Assert.Equal(0, Scorer.Signal(new SignalSnapshot(double.NaN, double.NaN, double.NaN)).Score);
        Assert.Equal(0, Scorer.Exec(new ExecSnapshot(null, null, null, null, null, null)).Score);
    }

    [Fact]
    public void Scores_stay_within_0_and_100_for_extreme_inputs()
    {
        var score = Scorer.Signal(new SignalSnapshot(0, 0, 5));
        Assert.Equal(100, score.Score, 9);
        Assert.InRange(Scorer.Comm(new CommSnapshot(1e12, 1e12, 1e12, 1e12)).Score, 0, 100);
    }

    [Fact]
    public void Invalid_options_are_refused_with_keys()
    {
        var ex = Assert.Throws<InvalidOptionsException>(() => new HealthScorer(HealthOptions.Default with
        {
            DropRate = new Ramp(0.1, 0.1), HeartbeatWeight = 0, DataAgeS = new Ramp(double.NaN, 60),
        }));
        var keys = ex.Errors.Select(e => e.Key).ToList();
        Assert.Contains("hueyp.health.comm.drop_rate", keys);
        Assert.Contains("hueyp.health.comm.weights.heartbeat", keys);
        Assert.Contains("hueyp.health.signal.data_age_s", keys);
    }
}
