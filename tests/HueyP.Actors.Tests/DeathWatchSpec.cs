namespace HueyP.Actors.Tests;

public sealed class DeathWatchSpec : TestKit.TestKit
{
    [Fact]
    public void Watcher_gets_exactly_one_Terminated()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new Watcher(target, TestActor)));
        ExpectMsg("watching");
        target.Tell(PoisonPill.Instance);
        Assert.Equal(target, ExpectMsg<Terminated>().ActorRef);
        ExpectNoMsg();
    }

    [Fact]
    public void Watching_an_already_dead_actor_yields_one_Terminated()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(target);
        target.Tell(PoisonPill.Instance);
        ExpectTerminated(target);
        Sys.ActorOf(Props.Create(() => new Watcher(target, TestActor)));
        ExpectMsg("watching");
        Assert.Equal(target, ExpectMsg<Terminated>().ActorRef);
        ExpectNoMsg();
    }

    [Fact]
    public void Restarts_are_invisible_to_watchers()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var target = this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(CreateTestProbe().Ref, "")), "target");
        Sys.ActorOf(Props.Create(() => new Watcher(target, TestActor)));
        ExpectMsg("watching");
        target.Tell(new Crasher("restart me"));
        target.Tell("count", TestActor);
        ExpectMsg(1);
        ExpectNoMsg();
    }

    [Fact]
    public void Unwatch_drops_an_already_queued_Terminated()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new UnwatchAfterDeath(target, TestActor)));
        watcher.Tell("go", TestActor);
        ExpectMsg("unwatched");
        ExpectNoMsg();
    }

    [Fact]
    public void Unhandled_Terminated_fails_the_watcher_with_DeathPactException()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var watcher = Sys.ActorOf(Props.Create(() => new IgnoringWatcher(target)));
        Watch(watcher);
        EventFilter.Exception<DeathPactException>().ExpectOne(() => target.Tell(PoisonPill.Instance));
        ExpectTerminated(watcher); // default decider stops on DeathPactException
    }

    [Fact]
    public void WatchWith_delivers_the_custom_message()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        Sys.ActorOf(Props.Create(() => new Watcher(target, TestActor, "target-gone")));
        ExpectMsg("watching");
        target.Tell(PoisonPill.Instance);
        ExpectMsg("target-gone");
    }

    [Fact]
    public void Child_name_is_reserved_until_the_old_child_has_terminated_then_reusable()
    {
        var parent = Sys.ActorOf(Props.Create<NameReuseParent>());
        parent.Tell("cycle", TestActor);
        ExpectMsg("reserved");
        ExpectMsg("recreated");
    }

    [Fact]
    public void Terminated_arrives_after_the_messages_the_dead_actor_sent()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(target);
        for (var i = 0; i < 100; i++) target.Tell(i, TestActor);
        target.Tell(PoisonPill.Instance);
        for (var i = 0; i < 100; i++) ExpectMsg(i);
        ExpectTerminated(target);
    }

    [Fact]
    public void Stopping_a_parent_stops_children_first_and_each_watcher_sees_one_Terminated()
    {
        var parent = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "p:")), "parent");
        ExpectMsg("p:ctor");
        ExpectMsg("p:preStart");
        parent.Tell(Props.Create(() => new LifecycleActor(TestActor, "c:")), TestActor);
        // The parent's reply and the child's own start messages come from different actors: any interleaving is legal.
        var started = ReceiveN(3);
        var child = Assert.Single(started.OfType<IActorRef>());
        Assert.Equal(["c:ctor", "c:preStart"], started.OfType<string>());
        Watch(child);
        Watch(parent);
        Sys.Stop(parent);
        ExpectMsg("c:postStop");
        ExpectTerminated(child);
        ExpectMsg("p:postStop");
        ExpectTerminated(parent);
        ExpectNoMsg();
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(IActorRef target, IActorRef probe, string? custom = null)
        {
            if (custom is null) Context.Watch(target);
            else Context.WatchWith(target, custom);
            probe.Tell("watching");
            ReceiveAny(message => probe.Tell(message));
        }
    }

    private sealed class IgnoringWatcher : ReceiveActor
    {
        public IgnoringWatcher(IActorRef target) => Context.Watch(target);
    }

    private sealed class UnwatchAfterDeath : ReceiveActor
    {
        public UnwatchAfterDeath(IActorRef target, IActorRef probe)
        {
            Context.Watch(target);
            ReceiveAsync<string>(async _ =>
            {
                // User messages wait while this handler runs, so the Terminated stays queued behind it.
                var cell = (ActorCell)Context;
                target.Tell(PoisonPill.Instance);
                await Task.Run(() =>
                {
                    var spin = new SpinWait();
                    while (cell.Mailbox.Depth == 0) spin.SpinOnce();
                });
                Context.Unwatch(target);
                probe.Tell("unwatched");
            });
            Receive<Terminated>(t => probe.Tell(t));
        }
    }

    private sealed class NameReuseParent : ReceiveActor
    {
        private IActorRef? _replyTo;

        public NameReuseParent()
        {
            Receive<string>(_ =>
            {
                _replyTo = Sender;
                var child = Context.ActorOf(Props.Create<EchoActor>(), "same");
                Context.Watch(child);
                Context.Stop(child);
                try
                {
                    Context.ActorOf(Props.Create<EchoActor>(), "same");
                }
                catch (InvalidActorNameException)
                {
                    _replyTo.Tell("reserved");
                }
            });
            Receive<Terminated>(_ =>
            {
                Context.ActorOf(Props.Create<EchoActor>(), "same");
                _replyTo!.Tell("recreated");
            });
        }
    }
}
