namespace HueyP.Actors.Tests;

public sealed class ReceiveTimeoutSpec : TestKit.TestKit
{
    [Fact]
    public void Idle_actor_gets_ReceiveTimeout()
    {
        Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromSeconds(10))));
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(10));
        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void Messages_reset_the_timeout()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromSeconds(10))));
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(6));
        actor.Tell("activity", TestActor);
        actor.Tell(new Identify(null), TestActor); // answered only after "activity" (and its re-arming) is done
        ExpectMsg("activity");
        ExpectMsg<ActorIdentity>();
        Advance(TimeSpan.FromSeconds(6));
        ExpectNoMsg(TimeSpan.FromMilliseconds(30));
        Advance(TimeSpan.FromSeconds(4));
        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void NotInfluenceReceiveTimeout_messages_do_not_reset_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromSeconds(10))));
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(6));
        actor.Tell(new Quiet(), TestActor);
        ExpectMsg<Quiet>();
        Advance(TimeSpan.FromSeconds(4));
        ExpectMsg<ReceiveTimeout>();
    }

    [Fact]
    public void Clearing_the_timeout_stops_it()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromSeconds(10))));
        ExpectMsg("started");
        actor.Tell("clear", TestActor);
        ExpectMsg("clear");
        Advance(TimeSpan.FromSeconds(30));
        ExpectNoMsg(TimeSpan.FromMilliseconds(30));
    }

    internal sealed record Quiet : INotInfluenceReceiveTimeout;

    private sealed class TimeoutActor : ReceiveActor
    {
        public TimeoutActor(IActorRef probe, TimeSpan timeout)
        {
            SetReceiveTimeout(timeout);
            probe.Tell("started");
            Receive<string>(s => s == "clear", s => { SetReceiveTimeout(null); probe.Tell(s); });
            ReceiveAny(m => probe.Tell(m));
        }
    }
}
