using HueyP.Actors.Event;
using Microsoft.Extensions.Logging;

namespace HueyP.Actors.Tests;

public sealed class LoggingSpec : TestKit.TestKit
{
    [Fact]
    public void Actor_log_events_carry_the_actor_path()
    {
        var actor = Sys.ActorOf(Props.Create<Chatty>(), "chatty");
        EventFilter.Info(contains: "order 42 accepted").ExpectOne(() => actor.Tell(42));
        var logged = LogSink.Events.Single(e => e.Message.Contains("order 42 accepted"));
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Equal(actor.Path.ToString(), logged.ActorPath);
        Assert.Equal(typeof(Chatty).FullName, logged.Category);
    }

    [Fact]
    public void Resume_is_logged_as_a_warning_and_restart_as_an_error()
    {
        var resuming = Sys.ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Resume))));
        var child = this.ChildOf(resuming, Props.Create<EchoActor>(), "r");
        EventFilter.Warning(contains: "Resume").ExpectOne(() => Sys.Diagnostics.Crash(child, new Crasher("w")));
        var restarting = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)));
        var other = this.ChildOf(restarting, Props.Create<EchoActor>(), "e");
        EventFilter.Error(contains: "Restart").ExpectOne(() => Sys.Diagnostics.Crash(other, new Crasher("e")));
    }

    private sealed class Chatty : ReceiveActor
    {
        public Chatty() => Receive<int>(id => Context.GetLogger().Info("order {OrderId} accepted", id));
    }
}
