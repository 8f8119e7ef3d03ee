using HueyP.Actors;
using HueyP.Domain.Breakers;
using HueyP.Engine.Breakers;
using Xunit.Abstractions;

namespace HueyP.Engine.Tests.Breakers;

public sealed class BreakersActorTests(ITestOutputHelper output) : Actors.TestKit.TestKit(output: output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Submit = Dependencies.BrokerSubmit;

    private IActorRef StartBreakers() => Sys.ActorOf(BreakersActor.Props(), $"breakers-{Guid.NewGuid():N}");

    private BreakerAdmission Acquire(IActorRef breakers, string dependency = Submit)
    {
        breakers.Tell(new AcquireBreaker(dependency), TestActor);
        return ExpectMsg<BreakerAdmission>(Wait);
    }

    private BreakerView Fail(IActorRef breakers, string cause, string dependency = Submit)
    {
        breakers.Tell(new ReportOutcome(dependency, false, cause), TestActor);
        return ExpectMsg<BreakerView>(Wait);
    }

    private BreakersStatus All(IActorRef breakers)
    {
        breakers.Tell(GetBreakers.Instance, TestActor);
        return ExpectMsg<BreakersStatus>(Wait);
    }

    [Fact]
    public void Every_dependency_has_a_closed_breaker_at_start()
    {
        var status = All(StartBreakers());

        Assert.Equal(Dependencies.All.Order(StringComparer.Ordinal), status.Breakers.Select(b => b.Dependency));
        Assert.All(status.Breakers, b => Assert.Equal(BreakerStatus.Closed, b.Status));
    }

    [Fact]
    public void A_burst_opens_briefly_then_failed_probes_escalate_to_the_long_open_and_a_reset_closes_it()
    {
        var breakers = StartBreakers();
        var changes = CreateTestProbe();
        Sys.EventStream.Subscribe(changes.Ref, typeof(BreakerStateChanged));
        var options = DependencyBreakerOptions.Default;

        Assert.Equal(Admission.Allowed, Acquire(breakers).Admission);
        Fail(breakers, "timeout");
        Fail(breakers, "timeout");
        var opened = Fail(breakers, "timeout");

        Assert.Equal((BreakerStatus.Open, BreakerLevel.Short), (opened.Status, opened.Level));
        var published = changes.ExpectMsg<BreakerStateChanged>(Wait);
        Assert.Equal((BreakerStatus.Closed, BreakerStatus.Open), (published.From, published.To));
        Assert.True(published.IsExec);
        var rejected = Acquire(breakers);
        Assert.Equal(Admission.Rejected, rejected.Admission);
        Assert.Equal(opened.OpenUntil, rejected.RetryAt);

        // Each short open ends with one probe; each failed probe counts, until the long threshold is reached.
        var failures = options.ShortThreshold;
        BreakerView last = opened;
        while (last.Level != BreakerLevel.Long)
        {
            Advance(options.ShortOpen);
            Assert.Equal(Admission.Probe, Acquire(breakers).Admission);
            Assert.Equal(Admission.Rejected, Acquire(breakers).Admission);
            last = Fail(breakers, "still timing out");
            failures++;
            Assert.Equal(BreakerStatus.Open, last.Status);
        }

        Assert.Equal(options.LongThreshold, failures);
        Assert.Equal(options.LongOpen, last.RetryIn);
        Assert.Contains(All(breakers).Breakers, b => b.Dependency == Submit && b.Level == BreakerLevel.Long);

        breakers.Tell(new ResetBreaker(Submit, "broker session rebuilt", "alice"), TestActor);
        var reset = ExpectMsg<BreakerView>(Wait);

        Assert.Equal(BreakerStatus.Closed, reset.Status);
        Assert.Equal(0, reset.RecentFailures);
        Assert.Equal(Admission.Allowed, Acquire(breakers).Admission);
        var closed = changes.FishForMessage<BreakerStateChanged>(c => c.To == BreakerStatus.Closed, Wait);
        Assert.Equal("alice", closed.By);
        Assert.Contains("broker session rebuilt", closed.Cause);
    }

    [Fact]
    public void A_successful_probe_closes_the_breaker()
    {
        var breakers = StartBreakers();
        for (var i = 0; i < 3; i++) Fail(breakers, "feed stalled", Dependencies.DataPrimary);
        Advance(DependencyBreakerOptions.Default.ShortOpen);

        Assert.Equal(Admission.Probe, Acquire(breakers, Dependencies.DataPrimary).Admission);
        breakers.Tell(new ReportOutcome(Dependencies.DataPrimary, true), TestActor);

        Assert.Equal(BreakerStatus.Closed, ExpectMsg<BreakerView>(Wait).Status);
        Assert.Equal(Admission.Allowed, Acquire(breakers, Dependencies.DataPrimary).Admission);
    }

    [Fact]
    public void Refused_requests_answer_with_the_error_and_change_nothing()
    {
        var breakers = StartBreakers();
        Fail(breakers, "timeout");
        var before = All(breakers);

        breakers.Tell(new AcquireBreaker("nope"), TestActor);
        var unknown = ExpectMsg<BreakerRefused>(Wait);
        breakers.Tell(new ReportOutcome(Submit, false, " "), TestActor);
        var noCause = ExpectMsg<BreakerRefused>(Wait);
        breakers.Tell(new ResetBreaker(Submit, "", "alice"), TestActor);
        var noReason = ExpectMsg<BreakerRefused>(Wait);

        Assert.Contains("broker_submit", unknown.Error);
        Assert.Contains("cause", noCause.Error);
        Assert.Contains("who and why", noReason.Error);
        Assert.Equal(before.Breakers, All(breakers).Breakers);
    }
}
