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

    [Fact]
    public void AllForOne_restart_while_a_child_waits_for_its_children_does_not_leave_it_suspended()
    {
        var gate = new ManualResetEventSlim(false);
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(_ => Directive.Restart, false))));
        var slow = this.ChildOf(parent, Props.Create(() => new WithStoppingGrandchild(TestActor, "slow", gate, null)), "slow");
        var fast = this.ChildOf(parent, Props.Create(() => new WithStoppingGrandchild(TestActor, "fast", null, null)), "fast");
        slow.Tell(new Crasher("slow fails"));
        ExpectMsg("restarted-fast"); // slow waits for its grandchild, whose PostStop is blocked
        fast.Tell(new Crasher("fast fails"));
        ExpectMsg("restarted-fast"); // second round: slow got Suspend + Recreate (sent before fast's) while still waiting
        gate.Set();
        ExpectMsg("restarted-slow");
        slow.Tell("ping", TestActor);
        ExpectMsg("pong-slow");
    }

    [Fact]
    public void Messages_sent_while_a_failed_constructor_waits_for_its_children_are_kept()
    {
        var gate = new ManualResetEventSlim(false);
        var stopping = new ManualResetEventSlim(false);
        var attempts = new SupervisorStrategySpec.RestartCounter();
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart, false))));
        var child = this.ChildOf(parent, Props.Create(() => new FailsFirstConstruction(TestActor, attempts, gate, stopping)), "child");
        Assert.True(stopping.Wait(TimeSpan.FromSeconds(5)), "the grandchild of the failed constructor was never stopped");
        // the child waits for its grandchild before constructing again: its mailbox must stay suspended
        Assert.True(Sys.Diagnostics.Snapshot(child.Path.ToStringWithoutAddress())!.IsSuspended);
        child.Tell("ping", TestActor);
        gate.Set();
        ExpectMsg("got-ping");
        Assert.Equal(2, attempts.Restarts);
    }

    private sealed class WithStoppingGrandchild : ReceiveActor
    {
        private readonly IActorRef _probe;
        private readonly string _name;

        public WithStoppingGrandchild(IActorRef probe, string name, ManualResetEventSlim? gate, ManualResetEventSlim? stopping)
        {
            _probe = probe;
            _name = name;
            if (gate is not null) Context.ActorOf(Props.Create(() => new BlockingPostStop(gate, stopping)), "grandchild");
            Receive<Exception>(exception => throw exception);
            Receive<string>(s => s == "ping", _ => Sender.Tell("pong-" + _name));
        }

        protected internal override void PostRestart(Exception reason)
        {
            _probe.Tell("restarted-" + _name);
            base.PostRestart(reason);
        }
    }

    private sealed class FailsFirstConstruction : ReceiveActor
    {
        public FailsFirstConstruction(IActorRef probe, SupervisorStrategySpec.RestartCounter attempts, ManualResetEventSlim gate, ManualResetEventSlim stopping)
        {
            Context.ActorOf(Props.Create(() => new BlockingPostStop(gate, stopping)), "grandchild");
            attempts.Increment();
            if (attempts.Restarts == 1) throw new Crasher("constructor fails");
            ReceiveAny(message => probe.Tell("got-" + message));
        }
    }

    /// <summary>Holds its own termination (and so its parent's restart) until the gate opens.</summary>
    private sealed class BlockingPostStop : ReceiveActor
    {
        private readonly ManualResetEventSlim _gate;
        private readonly ManualResetEventSlim? _stopping;

        public BlockingPostStop(ManualResetEventSlim gate, ManualResetEventSlim? stopping)
        {
            _gate = gate;
            _stopping = stopping;
            ReceiveAny(_ => { });
        }

        protected internal override void PostStop()
        {
            _stopping?.Set();
            _gate.Wait(TimeSpan.FromSeconds(10));
        }
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
