using HueyP.Actors.Event;

namespace HueyP.Actors.Tests;

public sealed class ActorLifeCycleSpec : TestKit.TestKit
{
    private IActorRef Supervised(SupervisorStrategy strategy, string id = "")
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(strategy)));
        return this.ChildOf(supervisor, Props.Create(() => new LifecycleActor(TestActor, id)), "child");
    }

    [Fact]
    public void Start_runs_constructor_then_PreStart()
    {
        Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
    }

    [Fact]
    public void Restart_calls_PreRestart_on_old_instance_then_PostRestart_on_new_one()
    {
        var child = Supervised(SupervisorStrategy.DefaultStrategy);
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        child.Tell(new Crasher("boom"), TestActor);
        ExpectMsg("preRestart:boom:boom");
        ExpectMsg("postStop");
        ExpectMsg("ctor");
        ExpectMsg("postRestart:boom");
        ExpectMsg("preStart");
    }

    [Fact]
    public void Failing_message_is_not_reprocessed_and_queued_messages_survive_restart()
    {
        var child = Supervised(SupervisorStrategy.DefaultStrategy);
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        child.Tell("count", TestActor);
        child.Tell(new Crasher("boom"), TestActor);
        child.Tell("count", TestActor);
        child.Tell("count", TestActor);
        ExpectMsg(1);
        FishForMessage(m => m is "preStart");
        ExpectMsg(1); // the new instance starts counting from zero: state is reset, mailbox kept
        ExpectMsg(2);
        ExpectNoMsg();
    }

    [Fact]
    public void Stop_calls_PostStop_and_later_messages_become_dead_letters()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectMsg("postStop");
        ExpectTerminated(actor);
        actor.Tell("late", TestActor);
        Assert.Equal("late", deadLetters.ExpectMsg<DeadLetter>().Message);
        Assert.True(Sys.DeadLetterCount >= 1);
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var child = Supervised(new OneForOneStrategy(_ => Directive.Resume));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        child.Tell("count", TestActor);
        ExpectMsg(1);
        child.Tell(new Crasher("ignored"), TestActor);
        child.Tell("count", TestActor);
        ExpectMsg(2);
    }

    [Fact]
    public void Constructor_failure_is_an_ActorInitializationException_and_stops_the_actor_by_default()
    {
        var actor = EventFilter.Exception<ActorInitializationException>().ExpectOne(() =>
            Sys.ActorOf(Props.Create(() => new FailingConstructorActor()), "broken"));
        Watch(actor);
        ExpectTerminated(actor);
    }

    [Fact]
    public void Exception_in_PostStop_is_logged_not_thrown()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ThrowingPostStopActor()));
        Watch(actor);
        EventFilter.Exception<InvalidOperationException>(contains: "postStop failed").ExpectOne(() => Sys.Stop(actor));
        ExpectTerminated(actor);
    }

    [Fact]
    public void Failure_is_logged_with_the_actor_path_before_the_supervisor_acts()
    {
        var child = Supervised(SupervisorStrategy.DefaultStrategy);
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        EventFilter.Exception<Crasher>().ExpectOne(() => child.Tell(new Crasher("logged"), TestActor));
        var logged = LogSink.Events.Single(e => e.Exception is Crasher);
        Assert.Equal(child.Path.ToString(), logged.ActorPath);
        FishForMessage(m => m is "postRestart:logged");
    }

    [Fact]
    public void Kill_fails_the_actor_with_ActorKilledException_which_stops_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        Watch(actor);
        actor.Tell(Kill.Instance);
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        ExpectMsg("postStop");
        ExpectTerminated(actor);
    }

    [Fact]
    public void Behaviour_stack_is_reset_on_restart()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var actor = this.ChildOf(supervisor, Props.Create<BecomingActor>(), "becoming");
        actor.Tell("become", TestActor);
        actor.Tell("who", TestActor);
        ExpectMsg("other");
        actor.Tell("fail", TestActor);
        actor.Tell("who", TestActor);
        ExpectMsg("initial");
    }

    private sealed class FailingConstructorActor : ReceiveActor
    {
        public FailingConstructorActor() => throw new InvalidOperationException("ctor failed");
    }

    [Fact]
    public void Kernel_runs_lifecycle_hooks_through_the_around_hooks()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart))));
        var actor = this.ChildOf(supervisor, Props.Create(() => new AroundHooksActor(TestActor, false)), "around");
        ExpectMsg("around:preStart");
        ExpectMsg("preStart");
        actor.Tell(new Crasher("boom"));
        ExpectMsg("around:preRestart:boom");
        ExpectMsg("preRestart");
        ExpectMsg("around:postRestart:boom");
        ExpectMsg("postRestart");
        Sys.Stop(actor);
        ExpectMsg("around:postStop");
        ExpectMsg("postStop");
    }

    [Fact]
    public void Exception_in_AroundPostStop_is_logged_not_thrown()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AroundHooksActor(TestActor, true)));
        ExpectMsg("around:preStart");
        ExpectMsg("preStart");
        Watch(actor);
        EventFilter.Exception<InvalidOperationException>(contains: "aroundPostStop failed").ExpectOne(() => Sys.Stop(actor));
        ExpectTerminated(actor);
    }

    private sealed class AroundHooksActor : ReceiveActor
    {
        private readonly IActorRef _probe;
        private readonly bool _throwOnStop;

        public AroundHooksActor(IActorRef probe, bool throwOnStop)
        {
            _probe = probe;
            _throwOnStop = throwOnStop;
            Receive<Exception>(exception => throw exception);
        }

        internal override void AroundPreStart()
        {
            _probe.Tell("around:preStart");
            base.AroundPreStart();
        }

        internal override void AroundPostStop()
        {
            if (_throwOnStop) throw new InvalidOperationException("aroundPostStop failed");
            _probe.Tell("around:postStop");
            base.AroundPostStop();
        }

        internal override void AroundPreRestart(Exception reason, object? message)
        {
            _probe.Tell($"around:preRestart:{reason.Message}");
            base.AroundPreRestart(reason, message);
        }

        internal override void AroundPostRestart(Exception reason)
        {
            _probe.Tell($"around:postRestart:{reason.Message}");
            base.AroundPostRestart(reason);
        }

        protected internal override void PreStart() => _probe.Tell("preStart");

        protected internal override void PostStop() => _probe.Tell("postStop");

        protected internal override void PreRestart(Exception reason, object? message) => _probe.Tell("preRestart");

        protected internal override void PostRestart(Exception reason) => _probe.Tell("postRestart");
    }

    private sealed class ThrowingPostStopActor : ReceiveActor
    {
        protected internal override void PostStop() => throw new InvalidOperationException("postStop failed");
    }

    private sealed class BecomingActor : ReceiveActor
    {
        public BecomingActor()
        {
            Receive<string>(s => s == "become", _ => Become(() =>
            {
                Receive<string>(s => s == "who", _ => Sender.Tell("other"));
                ReceiveAny(_ => throw new Crasher("fail"));
            }));
            Receive<string>(s => s == "who", _ => Sender.Tell("initial"));
            ReceiveAny(_ => throw new Crasher("fail"));
        }
    }
}
