using HueyP.Actors.Dispatch;
using HueyP.Actors.Event;

namespace HueyP.Actors.Tests;

public sealed class MailboxSpec : TestKit.TestKit
{
    [Fact]
    public void Messages_from_one_sender_arrive_in_order()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        for (var i = 0; i < 1000; i++) echo.Tell(i, TestActor);
        for (var i = 0; i < 1000; i++) ExpectMsg(i);
    }

    [Fact]
    public void System_messages_are_processed_before_queued_user_messages()
    {
        var gate = new ManualResetEventSlim(false);
        var actor = Sys.ActorOf(Props.Create(() => new Blocking(TestActor)));
        actor.Tell(gate, TestActor);
        for (var i = 0; i < 10; i++) actor.Tell(i, TestActor);
        Watch(actor);
        Sys.Stop(actor); // Terminate is a system message: it overtakes the queued user messages
        gate.Set();
        ExpectTerminated(actor);
        ExpectNoMsg();
    }

    [Fact]
    public void Bounded_DropNew_drops_the_newest_messages_as_dead_letters()
    {
        var gate = new ManualResetEventSlim(false);
        var actor = Sys.ActorOf(Props.Create(() => new Blocking(TestActor)).WithMailbox(MailboxSettings.Bounded(3, OverflowStrategy.DropNew)));
        actor.Tell(gate, TestActor);
        AwaitCondition(() => Sys.Diagnostics.Snapshot(actor.Path.ToStringWithoutAddress())!.MailboxDepth == 0);
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        for (var i = 0; i < 5; i++) actor.Tell(i, TestActor);
        Assert.Equal(3, ExpectMsg<DeadLetter>().Message);
        Assert.Equal(4, ExpectMsg<DeadLetter>().Message);
        gate.Set();
        ExpectMsg(0);
        ExpectMsg(1);
        ExpectMsg(2);
    }

    [Fact]
    public void Bounded_DropHead_keeps_the_newest_messages()
    {
        var gate = new ManualResetEventSlim(false);
        var actor = Sys.ActorOf(Props.Create(() => new Blocking(TestActor)).WithMailbox(MailboxSettings.Bounded(2, OverflowStrategy.DropHead)));
        actor.Tell(gate, TestActor);
        AwaitCondition(() => Sys.Diagnostics.Snapshot(actor.Path.ToStringWithoutAddress())!.MailboxDepth == 0);
        for (var i = 0; i < 5; i++) actor.Tell(i, TestActor);
        gate.Set();
        ExpectMsg(3);
        ExpectMsg(4);
        ExpectNoMsg();
    }

    [Fact]
    public void Bounded_Fail_fails_the_actor_with_MailboxOverflowException()
    {
        var gate = new ManualResetEventSlim(false);
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(e => e is MailboxOverflowException ? Directive.Stop : Directive.Restart))));
        var actor = this.ChildOf(supervisor, Props.Create(() => new Blocking(TestActor)).WithMailbox(MailboxSettings.Bounded(1, OverflowStrategy.Fail)), "bounded");
        actor.Tell(gate, TestActor);
        AwaitCondition(() => Sys.Diagnostics.Snapshot(actor.Path.ToStringWithoutAddress())!.MailboxDepth == 0);
        Watch(actor);
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        gate.Set();
        ExpectTerminated(actor);
    }

    private sealed class Blocking : ReceiveActor
    {
        public Blocking(IActorRef probe)
        {
            Receive<ManualResetEventSlim>(gate => gate.Wait());
            ReceiveAny(m => probe.Tell(m));
        }
    }
}
