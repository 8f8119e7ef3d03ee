namespace HueyP.Actors.Tests;

public sealed class SupervisorHierarchySpec : TestKit.TestKit
{
    [Fact]
    public void Restart_stops_children_before_the_new_instance_is_created()
    {
        var parent = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "p:")), "parent");
        ExpectMsg("p:ctor");
        ExpectMsg("p:preStart");
        parent.Tell(Props.Create(() => new LifecycleActor(TestActor, "c:")), TestActor);
        ExpectMsg<IActorRef>();
        ExpectMsg("c:ctor");
        ExpectMsg("c:preStart");
        parent.Tell(new Crasher("parent fails"));
        ExpectMsg("p:preRestart:parent fails:parent fails");
        var rest = ReceiveN(5).Cast<string>().ToList();
        // the child is stopped (default PreRestart) before the new parent instance exists
        Assert.True(rest.IndexOf("c:postStop") < rest.IndexOf("p:ctor"), string.Join(", ", rest));
        Assert.Equal(new[] { "p:postRestart:parent fails", "p:preStart" }, rest.Skip(rest.Count - 2));
        parent.Tell("children", TestActor);
        ExpectMsg(0);
    }

    [Fact]
    public void Children_are_suspended_while_the_parent_is_failed()
    {
        var gate = new ManualResetEventSlim(false);
        var top = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var middle = this.ChildOf(top, Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Resume))), "middle");
        var leaf = this.ChildOf(middle, Props.Create<EchoActor>(), "leaf");
        top.Tell(new SupervisorStrategySpec.BlockWith(gate)); // top cannot decide yet
        middle.Tell(new Crasher("middle fails"));
        AwaitCondition(() => Sys.Diagnostics.Snapshot(leaf.Path.ToStringWithoutAddress())!.IsSuspended);
        leaf.Tell("queued", TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        gate.Set(); // top restarts middle; Supervisor keeps children on restart, which are restarted and resumed
        ExpectMsg("queued");
    }

    [Fact]
    public void Escalation_travels_up_until_a_supervisor_handles_it()
    {
        var probe = CreateTestProbe();
        var top = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart))));
        var middle = this.ChildOf(top, Props.Create(() => new LifecycleActor(probe.Ref, "m:")).WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Escalate)), "middle");
        probe.ExpectMsg("m:ctor");
        probe.ExpectMsg("m:preStart");
        middle.Tell(Props.Create(() => new LifecycleActor(probe.Ref, "l:")), TestActor);
        var leaf = ExpectMsg<IActorRef>();
        probe.ExpectMsg("l:ctor");
        probe.ExpectMsg("l:preStart");
        leaf.Tell(new Crasher("deep"));
        probe.ExpectMsg("m:preRestart:deep:");
        probe.FishForMessage(m => m is "m:postRestart:deep");
        Assert.Equal(1, Sys.Diagnostics.Snapshot(middle.Path.ToStringWithoutAddress())!.RestartCount);
    }

    [Fact]
    public void Restart_failure_in_PostRestart_is_reported_as_a_new_failure()
    {
        var attempts = new SupervisorStrategySpec.RestartCounter();
        var top = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(e => e is ActorInitializationException ? Directive.Stop : Directive.Restart))));
        var child = this.ChildOf(top, Props.Create(() => new BadRestart(attempts)), "bad");
        Watch(child);
        child.Tell("fail");
        ExpectTerminated(child);
        Assert.Equal(1, attempts.Restarts);
    }

    private sealed class BadRestart : ReceiveActor
    {
        private readonly SupervisorStrategySpec.RestartCounter _attempts;

        public BadRestart(SupervisorStrategySpec.RestartCounter attempts)
        {
            _attempts = attempts;
            ReceiveAny(_ => throw new Crasher("first"));
        }

        protected internal override void PostRestart(Exception reason)
        {
            _attempts.Increment();
            throw new InvalidOperationException("cannot restart");
        }
    }
}
