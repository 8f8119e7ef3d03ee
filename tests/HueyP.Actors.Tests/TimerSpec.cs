namespace HueyP.Actors.Tests;

public sealed class TimerSpec : TestKit.TestKit
{
    [Fact]
    public void Single_timer_fires_once_on_virtual_time()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("tick", TimeSpan.FromSeconds(5)), TestActor);
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(4));
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("tick");
        Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        actor.Tell(new IsActive("tick"), TestActor);
        ExpectMsg(false);
    }

    [Fact]
    public void Periodic_timer_fires_each_interval_until_cancelled()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartPeriodic("beat", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(3));
        ExpectMsg("beat");
        ExpectMsg("beat");
        ExpectMsg("beat");
        actor.Tell(new CancelTimer("beat"), TestActor);
        ExpectMsg("cancelled");
        Advance(TimeSpan.FromSeconds(3));
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void Restarting_a_timer_with_the_same_key_replaces_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell(new StartSingle("t", TimeSpan.FromSeconds(5)), TestActor);
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(3));
        actor.Tell(new StartSingle("t", TimeSpan.FromSeconds(5)), TestActor);
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(3));
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
        Advance(TimeSpan.FromSeconds(2));
        ExpectMsg("t");
    }

    [Fact]
    public void Timers_are_cancelled_on_restart_and_stale_timer_messages_discarded()
    {
        var supervisor = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var actor = this.ChildOf(supervisor, Props.Create(() => new TimerActor(TestActor)), "timers");
        actor.Tell(new StartPeriodic("beat", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        actor.Tell(new Crasher("restart"), TestActor);
        actor.Tell("ping", TestActor);
        ExpectMsg("ping");
        Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Cancel_discards_a_timer_message_already_in_the_mailbox()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        var gate = new ManualResetEventSlim(false);
        actor.Tell(new StartSingle("late", TimeSpan.FromSeconds(1)), TestActor);
        ExpectMsg("started");
        actor.Tell(new BlockThenCancel(gate, "late"), TestActor); // queued before the timer's message
        Advance(TimeSpan.FromSeconds(1));
        gate.Set();
        ExpectMsg("cancelled");
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void Scheduler_tells_once_and_repeatedly_until_cancelled()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), TestActor, "once", null);
        var repeating = Sys.Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TestActor, "again", null);
        Advance(TimeSpan.FromSeconds(2));
        ExpectMsg("again");
        var second = ReceiveN(2);
        Assert.Contains("once", second);
        Assert.Contains("again", second);
        repeating.Cancel();
        Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.FromMilliseconds(20));
    }

    internal sealed record StartSingle(string Key, TimeSpan Delay);
    internal sealed record StartPeriodic(string Key, TimeSpan Interval);
    internal sealed record CancelTimer(string Key);
    internal sealed record IsActive(string Key);
    internal sealed record BlockThenCancel(ManualResetEventSlim Gate, string Key);

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        public TimerActor(IActorRef probe)
        {
            Receive<StartSingle>(s => { Timers.StartSingleTimer(s.Key, s.Key, s.Delay); Sender.Tell("started"); });
            Receive<StartPeriodic>(s => { Timers.StartPeriodicTimer(s.Key, s.Key, s.Interval); Sender.Tell("started"); });
            Receive<CancelTimer>(c => { Timers.Cancel(c.Key); Sender.Tell("cancelled"); });
            Receive<IsActive>(c => Sender.Tell(Timers.IsTimerActive(c.Key)));
            Receive<BlockThenCancel>(block =>
            {
                block.Gate.Wait();
                Timers.Cancel(block.Key);
                Sender.Tell("cancelled");
            });
            Receive<Crasher>(c => throw c);
            Receive<string>(s => s == "ping", _ => Sender.Tell("ping"));
            Receive<string>(s => probe.Tell(s));
        }
    }
}
