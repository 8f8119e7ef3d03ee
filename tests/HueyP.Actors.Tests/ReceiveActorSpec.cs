using HueyP.Actors.Event;

namespace HueyP.Actors.Tests;

public sealed class ReceiveActorSpec : TestKit.TestKit
{
    [Fact]
    public void Handlers_match_by_type_and_predicate_in_registration_order()
    {
        var actor = Sys.ActorOf(Props.Create<Matcher>());
        actor.Tell("short", TestActor);
        actor.Tell("a much longer string", TestActor);
        actor.Tell(42, TestActor);
        actor.Tell(4.2, TestActor);
        ExpectMsg("string:short");
        ExpectMsg("long-string");
        ExpectMsg("int:42");
        ExpectMsg("any:4.2");
    }

    [Fact]
    public void Unhandled_messages_are_published_and_counted()
    {
        var actor = Sys.ActorOf(Props.Create<OnlyStrings>());
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var before = Sys.UnhandledCount;
        actor.Tell(42, TestActor);
        var unhandled = ExpectMsg<UnhandledMessage>();
        Assert.Equal(42, unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
        Assert.Equal(before + 1, Sys.UnhandledCount);
    }

    [Fact]
    public void BecomeStacked_and_UnbecomeStacked_switch_behaviours()
    {
        var actor = Sys.ActorOf(Props.Create<Switcher>());
        actor.Tell("state", TestActor);
        ExpectMsg("A");
        actor.Tell("push", TestActor);
        actor.Tell("state", TestActor);
        ExpectMsg("B");
        actor.Tell("pop", TestActor);
        actor.Tell("state", TestActor);
        ExpectMsg("A");
    }

    [Fact]
    public void ReceiveAsync_suspends_the_mailbox_until_the_task_completes_and_keeps_the_context()
    {
        var gate = new TaskCompletionSource();
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor(gate.Task)));
        actor.Tell("slow", TestActor);
        actor.Tell("fast", TestActor);
        ExpectNoMsg();
        gate.SetResult();
        ExpectMsg("slow-done");
        Assert.Equal(actor, LastSender); // Self and Sender are valid after await
        ExpectMsg("fast-done");
    }

    [Fact]
    public void ReceiveAsync_failure_is_supervised_like_a_synchronous_one()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var actor = this.ChildOf(supervisor, Props.Create(() => new AsyncActor(Task.CompletedTask)), "async");
        EventFilter.Exception<Crasher>().ExpectOne(() => actor.Tell("fail", TestActor));
        actor.Tell("fast", TestActor);
        ExpectMsg("fast-done");
    }

    [Fact]
    public void Receive_outside_constructor_or_Become_throws()
    {
        var actor = Sys.ActorOf(Props.Create<LateRegistration>());
        actor.Tell("register", TestActor);
        ExpectMsg<InvalidOperationException>();
    }

    [Fact]
    public void Creating_an_actor_with_new_is_rejected()
    {
        Assert.Throws<ActorInitializationException>(() => new OnlyStrings());
    }

    [Fact]
    public void UntypedActor_receives_and_can_become()
    {
        var actor = Sys.ActorOf(Props.Create<Untyped>());
        actor.Tell("x", TestActor);
        ExpectMsg("first:x");
        actor.Tell("y", TestActor);
        ExpectMsg("second:y");
    }

    [Fact]
    public void Forward_keeps_the_original_sender()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>());
        var forwarder = Sys.ActorOf(Props.Create(() => new Forwarder(echo)));
        forwarder.Tell("hello", TestActor);
        ExpectMsg("hello");
        Assert.Equal(echo, LastSender);
    }

    private sealed class Matcher : ReceiveActor
    {
        public Matcher()
        {
            Receive<string>(s => s.Length > 10, _ => Sender.Tell("long-string"));
            Receive<string>(s => Sender.Tell("string:" + s));
            Receive<int>(i => Sender.Tell("int:" + i));
            ReceiveAny(o => Sender.Tell("any:" + o));
        }
    }

    private sealed class OnlyStrings : ReceiveActor
    {
        public OnlyStrings() => Receive<string>(_ => { });
    }

    private sealed class Switcher : ReceiveActor
    {
        public Switcher()
        {
            Receive<string>(s => s == "state", _ => Sender.Tell("A"));
            Receive<string>(s => s == "push", _ => BecomeStacked(() =>
            {
                Receive<string>(s => s == "state", _ => Sender.Tell("B"));
                Receive<string>(s => s == "pop", _ => UnbecomeStacked());
            }));
        }
    }

    private sealed class AsyncActor : ReceiveActor
    {
        public AsyncActor(Task gate)
        {
            ReceiveAsync<string>(s => s == "slow", async _ =>
            {
                await gate;
                await Task.Yield();
                Sender.Tell("slow-done", Self);
            });
            ReceiveAsync<string>(s => s == "fail", async _ =>
            {
                await Task.Yield();
                throw new Crasher("async failure");
            });
            Receive<string>(s => s == "fast", _ => Sender.Tell("fast-done", Self));
        }
    }

    private sealed class LateRegistration : ReceiveActor
    {
        public LateRegistration() => Receive<string>(_ =>
        {
            try
            {
                Receive<int>(_ => { });
            }
            catch (InvalidOperationException e)
            {
                Sender.Tell(e);
            }
        });
    }

    private sealed class Untyped : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            Sender.Tell("first:" + message);
            Become(m => Sender.Tell("second:" + m));
        }
    }

    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef target) => ReceiveAny(m => target.Forward(m));
    }
}
