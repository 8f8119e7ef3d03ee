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
