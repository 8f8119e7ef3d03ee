namespace HueyP.Actors.Tests;

public sealed class SupervisorStrategySpec : TestKit.TestKit
{
    private (IActorRef Supervisor, IActorRef Child) Supervise(SupervisorStrategy strategy, string id = "")
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(strategy)));
        var child = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, id)), "child");
        ExpectMsg($"{id}ctor");
        ExpectMsg($"{id}preStart");
        return (supervisor, child);
    }

    private void ExpectRestart(string id = "")
    {
        FishForMessage(m => m is string s && s.StartsWith($"{id}postRestart", StringComparison.Ordinal));
        ExpectMsg($"{id}preStart");
    }

    [Fact]
    public void Zero_retries_stops_on_the_first_failure()
    {
        var (_, child) = Supervise(new OneForOneStrategy(0, Timeout.InfiniteTimeSpan, _ => Directive.Restart));
        Watch(child);
        child.Tell(new Crasher("one"));
        ExpectMsg("postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Retries_without_window_count_for_the_whole_life_of_the_child()
    {
        var (_, child) = Supervise(new OneForOneStrategy(2, Timeout.InfiniteTimeSpan, _ => Directive.Restart));
        Watch(child);
        child.Tell(new Crasher("1"));
        ExpectRestart();
        Advance(TimeSpan.FromHours(1)); // time does not matter without a window
        child.Tell(new Crasher("2"));
        ExpectRestart();
        child.Tell(new Crasher("3"));
        FishForMessage(m => m is "postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Retries_within_a_window_reset_when_the_window_has_passed()
    {
        var (_, child) = Supervise(new OneForOneStrategy(1, TimeSpan.FromSeconds(10), _ => Directive.Restart));
        Watch(child);
        child.Tell(new Crasher("1"));
        ExpectRestart();
        Advance(TimeSpan.FromSeconds(11));
        child.Tell(new Crasher("2"));
        ExpectRestart(); // new window
        Advance(TimeSpan.FromSeconds(1));
        child.Tell(new Crasher("3"));
        FishForMessage(m => m is "postStop");
        ExpectTerminated(child);
    }

    [Fact]
    public void Unlimited_retries_restart_forever()
    {
        var (_, child) = Supervise(new OneForOneStrategy(-1, Timeout.InfiniteTimeSpan, _ => Directive.Restart));
        for (var i = 0; i < 20; i++)
        {
            child.Tell(new Crasher(i.ToString()));
            ExpectRestart();
        }
        child.Tell("count", TestActor);
        ExpectMsg(1);
    }

    [Fact]
    public void Exceeding_the_limit_stops_the_child_and_does_not_escalate()
    {
        var (supervisor, child) = Supervise(new OneForOneStrategy(0, Timeout.InfiniteTimeSpan, _ => Directive.Restart));
        Watch(child);
        Watch(supervisor);
        child.Tell(new Crasher("out of budget"));
        ExpectMsg("postStop");
        ExpectTerminated(child);
        // the supervisor did not fail: it still creates children and is not terminated
        this.ChildOf(supervisor, Props.Create<EchoActor>(), "next").Tell("alive", TestActor);
        ExpectMsg("alive");
        ExpectNoMsg();
    }

    [Fact]
    public void Default_decider_matches_Akka()
    {
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorInitializationException(null, "x")));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorKilledException()));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new DeathPactException(ActorRefs.Nobody)));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new InvalidOperationException()));
        Assert.Equal(-1, SupervisorStrategy.DefaultStrategy.MaxNumberOfRetries);
    }

    [Fact]
    public void AllForOne_restarts_all_siblings()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Restart))));
        var a = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, "a:")), "a");
        var b = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, "b:")), "b");
        ReceiveN(4);
        a.Tell(new Crasher("a failed"));
        var messages = ReceiveN(10).Cast<string>().ToList();
        Assert.Contains("a:postRestart:a failed", messages);
        Assert.Contains("b:postRestart:a failed", messages);
        b.Tell("count", TestActor);
        ExpectMsg(1);
    }

    [Fact]
    public void AllForOne_stops_all_siblings_when_one_is_out_of_budget()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(1, Timeout.InfiniteTimeSpan, _ => Directive.Restart))));
        var a = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, "a:")), "a");
        var b = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, "b:")), "b");
        ReceiveN(4);
        Watch(a);
        Watch(b);
        a.Tell(new Crasher("1"));
        FishForMessage(m => m is "b:preStart");
        a.Tell(new Crasher("2"));
        var stopped = new[] { FishForMessage<Terminated>().ActorRef, FishForMessage<Terminated>().ActorRef };
        Assert.Equal(new[] { a, b }.OrderBy(r => r.Path.Name), stopped.OrderBy(r => r.Path.Name));
    }

    [Fact]
    public void AllForOne_Resume_resumes_only_the_failing_child()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Resume))));
        var a = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, "a:")), "a");
        var b = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, "b:")), "b");
        ReceiveN(4);
        b.Tell("count", TestActor);
        ExpectMsg(1);
        a.Tell(new Crasher("resume me"));
        a.Tell("count", TestActor);
        ExpectMsg(1);
        b.Tell("count", TestActor);
        ExpectMsg(2); // b kept its state: not restarted
    }

    [Fact]
    public void Escalate_fails_the_supervisor_with_the_original_exception()
    {
        var top = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(e => e is Crasher ? Directive.Stop : Directive.Restart))));
        var middle = this.ChildOf(top, Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Escalate))), "middle");
        var leaf = this.ChildOf(middle, Props.Create(() => new LifecycleActor(TestActor, "")), "leaf");
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        Watch(middle);
        leaf.Tell(new Crasher("escalated"));
        // top decides Stop for Crasher: only possible if middle failed with the original Crasher
        ExpectMsg("postStop");
        ExpectTerminated(middle);
    }

    [Fact]
    public void Many_simultaneous_child_failures_neither_lose_nor_duplicate_restarts()
    {
        var counter = new RestartCounter();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart, loggingEnabled: false))));
        var children = Enumerable.Range(0, 50)
            .Select(i => this.ChildOf(supervisor, Props.Create(() => new CountingRestarts(counter)), $"c{i}"))
            .ToList();
        for (var round = 0; round < 4; round++)
            foreach (var child in children) child.Tell(new Crasher("x"));
        foreach (var child in children)
        {
            child.Tell("ping", TestActor);
            ExpectMsg("pong");
        }
        Assert.Equal(200, counter.Restarts);
        var snapshot = Sys.Diagnostics.Snapshot(supervisor.Path.ToStringWithoutAddress())!;
        Assert.All(snapshot.Children, c => Assert.Equal(4, c.RestartCount));
    }

    [Fact]
    public async Task User_guardian_escalating_terminates_the_system()
    {
        var system = ActorSystem.Create("escalating", ActorSystemSettings.Default with
        {
            GuardianSupervisorStrategy = new OneForOneStrategy(_ => Directive.Escalate),
        });
        var actor = system.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        actor.Tell(new Crasher("fatal"));
        await system.WhenTerminated.WaitAsync(DefaultTimeout);
    }

    [Fact]
    public void Stale_failure_reports_from_before_an_ordered_restart_are_ignored()
    {
        // Both siblings fail at once under AllForOne: the second report predates the restart already ordered.
        var counter = new RestartCounter();
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Restart, loggingEnabled: false))));
        var a = this.ChildOf(supervisor, Props.Create(() => new CountingRestarts(counter)), "a");
        var b = this.ChildOf(supervisor, Props.Create(() => new CountingRestarts(counter)), "b");
        var blocker = new ManualResetEventSlim(false);
        supervisor.Tell(new BlockWith(blocker));
        a.Tell(new Crasher("a"));
        b.Tell(new Crasher("b"));
        AwaitCondition(() => Sys.Diagnostics.Snapshot(a.Path.ToStringWithoutAddress())!.IsSuspended
                             && Sys.Diagnostics.Snapshot(b.Path.ToStringWithoutAddress())!.IsSuspended);
        blocker.Set();
        a.Tell("ping", TestActor);
        ExpectMsg("pong");
        b.Tell("ping", TestActor);
        ExpectMsg("pong");
        Assert.Equal(2, counter.Restarts); // one restart each, not two
    }

    internal sealed record BlockWith(ManualResetEventSlim Gate);

    internal sealed class RestartCounter
    {
        private int _restarts;
        public int Restarts => Volatile.Read(ref _restarts);
        public void Increment() => Interlocked.Increment(ref _restarts);
    }

    private sealed class CountingRestarts : ReceiveActor
    {
        private readonly RestartCounter _counter;

        public CountingRestarts(RestartCounter counter)
        {
            _counter = counter;
            Receive<Crasher>(c => throw c);
            Receive<string>(_ => Sender.Tell("pong"));
        }

        protected internal override void PostRestart(Exception reason) => _counter.Increment();
    }
}
