namespace HueyP.Actors.Tests;

public sealed class BackoffSupervisorSpec : TestKit.TestKit
{
    private IActorRef CurrentChild(IActorRef supervisor)
    {
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        return ExpectMsg<BackoffSupervisor.CurrentChild>().Ref ?? ActorRefs.Nobody;
    }

    private int RestartCount(IActorRef supervisor)
    {
        supervisor.Tell(BackoffSupervisor.GetRestartCount.Instance, TestActor);
        return ExpectMsg<BackoffSupervisor.RestartCount>().Count;
    }

    private IActorRef AwaitNewChild(IActorRef supervisor, IActorRef previous)
    {
        IActorRef current = ActorRefs.Nobody;
        AwaitCondition(() => (current = CurrentChild(supervisor)) is var c && !c.IsNobody() && !c.Equals(previous));
        return current;
    }

    [Fact]
    public void OnStop_restarts_the_child_after_the_backoff_and_forwards_messages()
    {
        var supervisor = Sys.ActorOf(Backoff.OnStop(Props.Create<EchoActor>(), "c1", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0).Props());
        supervisor.Tell("hello", TestActor);
        ExpectMsg("hello");
        var first = CurrentChild(supervisor);
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);
        AwaitCondition(() => CurrentChild(supervisor).IsNobody()); // the supervisor has scheduled the restart
        Advance(TimeSpan.FromSeconds(1));
        var second = AwaitNewChild(supervisor, first);
        Assert.Equal("c1", second.Path.Name);
        Assert.Equal(1, RestartCount(supervisor));
    }

    [Fact]
    public void Backoff_delay_grows_exponentially_and_is_capped()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), BackoffSupervisor.CalculateDelay(0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, 0));
        Assert.Equal(TimeSpan.FromSeconds(4), BackoffSupervisor.CalculateDelay(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, 0));
        Assert.Equal(TimeSpan.FromSeconds(10), BackoffSupervisor.CalculateDelay(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, 0));
        Assert.Equal(TimeSpan.FromSeconds(12), BackoffSupervisor.CalculateDelay(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0.2, 1));
    }

    [Fact]
    public void Second_restart_waits_twice_as_long()
    {
        var supervisor = Sys.ActorOf(Backoff.OnStop(Props.Create<EchoActor>(), "c", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0)
            .WithManualReset().Props());
        var first = CurrentChild(supervisor);
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);
        AwaitCondition(() => CurrentChild(supervisor).IsNobody());
        Advance(TimeSpan.FromSeconds(1));
        var second = AwaitNewChild(supervisor, first);
        Watch(second);
        second.Tell(PoisonPill.Instance);
        ExpectTerminated(second);
        AwaitCondition(() => CurrentChild(supervisor).IsNobody());
        Advance(TimeSpan.FromSeconds(1.5));
        Assert.True(CurrentChild(supervisor).IsNobody());
        Advance(TimeSpan.FromSeconds(0.5));
        AwaitNewChild(supervisor, second);
        Assert.Equal(2, RestartCount(supervisor));
    }

    [Fact]
    public void OnFailure_restarts_a_failing_child_with_backoff_but_stops_with_a_child_that_stops()
    {
        var supervisor = Sys.ActorOf(Backoff.OnFailure(Props.Create(() => new LifecycleActor(TestActor, "")), "worker",
            TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 0).Props());
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        var first = CurrentChild(supervisor);
        first.Tell(new Crasher("fail"));
        ExpectMsg("postStop"); // stopped, not restarted in place
        AwaitCondition(() => CurrentChild(supervisor).IsNobody());
        Advance(TimeSpan.FromSeconds(2));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        var second = CurrentChild(supervisor);
        Watch(supervisor);
        second.Tell(PoisonPill.Instance);
        ExpectMsg("postStop");
        ExpectTerminated(supervisor);
    }

    [Fact]
    public void Max_retries_reached_stops_the_supervisor()
    {
        var supervisor = Sys.ActorOf(Backoff.OnStop(Props.Create<EchoActor>(), "c", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 0, maxNrOfRetries: 1).Props());
        Watch(supervisor);
        var first = CurrentChild(supervisor);
        first.Tell(PoisonPill.Instance);
        AwaitCondition(() => CurrentChild(supervisor).IsNobody());
        Advance(TimeSpan.FromSeconds(1));
        var second = AwaitNewChild(supervisor, first);
        second.Tell(PoisonPill.Instance);
        ExpectTerminated(supervisor);
    }

    [Fact]
    public void While_the_child_is_stopped_the_supervisor_replies_with_the_configured_message()
    {
        var supervisor = Sys.ActorOf(Backoff.OnStop(Props.Create<EchoActor>(), "c", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 0)
            .WithReplyWhileStopped("try later").Props());
        var first = CurrentChild(supervisor);
        first.Tell(PoisonPill.Instance);
        AwaitCondition(() => CurrentChild(supervisor).IsNobody());
        supervisor.Tell("anything", TestActor);
        ExpectMsg("try later");
    }

    [Fact]
    public void Manual_reset_sets_the_restart_count_back_to_zero_and_auto_reset_does_it_after_healthy_time()
    {
        var manual = Sys.ActorOf(Backoff.OnStop(Props.Create<EchoActor>(), "m", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 0).WithManualReset().Props());
        var first = CurrentChild(manual);
        first.Tell(PoisonPill.Instance);
        AwaitCondition(() => CurrentChild(manual).IsNobody());
        Advance(TimeSpan.FromSeconds(1));
        AwaitNewChild(manual, first);
        Assert.Equal(1, RestartCount(manual));
        Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, RestartCount(manual));
        manual.Tell(BackoffSupervisor.Reset.Instance);
        Assert.Equal(0, RestartCount(manual));

        var auto = Sys.ActorOf(Backoff.OnStop(Props.Create<EchoActor>(), "a", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 0).WithAutoReset(TimeSpan.FromSeconds(5)).Props());
        var autoFirst = CurrentChild(auto);
        autoFirst.Tell(PoisonPill.Instance);
        AwaitCondition(() => CurrentChild(auto).IsNobody());
        Advance(TimeSpan.FromSeconds(1));
        AwaitNewChild(auto, autoFirst);
        Assert.Equal(1, RestartCount(auto));
        Advance(TimeSpan.FromSeconds(5));
        AwaitCondition(() => RestartCount(auto) == 0);
    }
}
