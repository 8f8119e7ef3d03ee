using HueyP.Actors.Event;

namespace HueyP.Actors.Tests;

public sealed class ActorWithStashSpec : TestKit.TestKit
{
    [Fact]
    public void UnstashAll_replays_stashed_messages_in_order_before_newer_ones()
    {
        var actor = Sys.ActorOf(Props.Create<Gate>());
        actor.Tell("a", TestActor);
        actor.Tell("b", TestActor);
        actor.Tell("open", TestActor);
        actor.Tell("c", TestActor);
        ExpectMsg("a");
        ExpectMsg("b");
        ExpectMsg("c");
    }

    [Fact]
    public void Stashed_messages_return_to_the_mailbox_on_restart()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var actor = this.ChildOf(supervisor, Props.Create<Gate>(), "gate");
        actor.Tell("a", TestActor);
        actor.Tell("b", TestActor);
        actor.Tell("crash", TestActor);
        actor.Tell("open", TestActor);
        ExpectMsg("a");
        ExpectMsg("b");
    }

    [Fact]
    public void Stashed_messages_become_dead_letters_on_stop()
    {
        var actor = Sys.ActorOf(Props.Create<Gate>());
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        actor.Tell("a", TestActor);
        actor.Tell(PoisonPill.Instance);
        Assert.Equal("a", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void Stashing_the_same_message_twice_fails()
    {
        var actor = Sys.ActorOf(Props.Create<DoubleStash>());
        actor.Tell("x", TestActor);
        ExpectMsg<InvalidOperationException>();
    }

    [Fact]
    public void Stashed_Terminated_is_delivered_again_after_UnstashAll()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var actor = Sys.ActorOf(Props.Create(() => new LateOpener(TestActor, target, null)));
        actor.Tell("watching?", TestActor);
        ExpectMsg("watching?");
        Sys.Stop(target);
        ExpectMsg("stashed");
        actor.Tell("open", TestActor);
        ExpectMsg("terminated");
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Stashed_WatchWith_message_is_delivered_again_after_UnstashAll()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>());
        var actor = Sys.ActorOf(Props.Create(() => new LateOpener(TestActor, target, "target-gone")));
        actor.Tell("watching?", TestActor);
        ExpectMsg("watching?");
        Sys.Stop(target);
        ExpectMsg("stashed");
        actor.Tell("open", TestActor);
        ExpectMsg("target-gone");
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Stashed_single_timer_message_is_delivered_after_UnstashAll()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LateOpener(TestActor, null, null)));
        actor.Tell("watching?", TestActor);
        ExpectMsg("watching?"); // the constructor has started the timer
        Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("stashed");
        actor.Tell("open", TestActor);
        ExpectMsg("tick");
    }

    /// <summary>Stashes everything kernel-delivered (Terminated, WatchWith message, timer message) until "open".</summary>
    private sealed class LateOpener : ReceiveActor, IWithUnboundedStash, IWithTimers
    {
        public IStash Stash { get; set; } = null!;

        public ITimerScheduler Timers { get; set; } = null!;

        public LateOpener(IActorRef probe, IActorRef? target, object? watchMessage)
        {
            if (target is null) Timers.StartSingleTimer("tick", "tick", TimeSpan.FromSeconds(1));
            else if (watchMessage is null) Context.Watch(target);
            else Context.WatchWith(target, watchMessage);
            Receive<string>(s => s == "watching?", s => Sender.Tell(s));
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                Become(() => ReceiveAny(m => probe.Tell(m is Terminated ? "terminated" : m)));
            });
            ReceiveAny(_ =>
            {
                Stash.Stash();
                probe.Tell("stashed");
            });
        }
    }

    private sealed class Gate : ReceiveActor, IWithUnboundedStash
    {
        public IStash Stash { get; set; } = null!;

        public Gate()
        {
            Receive<string>(s => s == "open", _ =>
            {
                Stash.UnstashAll();
                Become(() => ReceiveAny(m => Sender.Tell(m)));
            });
            Receive<string>(s => s == "crash", _ => throw new Crasher("crash"));
            ReceiveAny(_ => Stash.Stash());
        }
    }

    private sealed class DoubleStash : ReceiveActor, IWithUnboundedStash
    {
        public IStash Stash { get; set; } = null!;

        public DoubleStash() => ReceiveAny(_ =>
        {
            Stash.Stash();
            try
            {
                Stash.Stash();
            }
            catch (InvalidOperationException e)
            {
                Sender.Tell(e);
            }
        });
    }
}
