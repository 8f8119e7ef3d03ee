using HueyP.Actors.Event;

namespace HueyP.Actors.Tests;

public sealed class ActorSystemSpec : TestKit.TestKit
{
    public ActorSystemSpec() : base(systemName: "sys") { }

    [Fact]
    public void Paths_follow_the_akka_scheme()
    {
        var engine = Sys.ActorOf(Props.Create<Parent>(), "engine");
        engine.Tell("symbols", TestActor);
        var symbols = ExpectMsg<IActorRef>();
        Assert.Equal("akka://sys/user/engine", engine.Path.ToString());
        Assert.Equal("akka://sys/user/engine/symbols", symbols.Path.ToString());
        Assert.Equal("/user/engine/symbols", symbols.Path.ToStringWithoutAddress());
        Assert.Equal(new[] { "user", "engine", "symbols" }, symbols.Path.Elements);
        Assert.Equal(engine.Path, symbols.Path.Parent);
    }

    [Theory]
    [InlineData("")]
    [InlineData("$reserved")]
    [InlineData("with space")]
    [InlineData("a/b")]
    public void Invalid_names_are_rejected(string name)
    {
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), name));
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "dup");
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "dup"));
    }

    [Fact]
    public void Unnamed_actors_get_generated_unique_names()
    {
        var a = Sys.ActorOf(Props.Create<EchoActor>());
        var b = Sys.ActorOf(Props.Create<EchoActor>());
        Assert.StartsWith("$", a.Path.Name);
        Assert.NotEqual(a.Path, b.Path);
    }

    [Fact]
    public async Task ActorSelection_resolves_absolute_relative_and_wildcard_paths()
    {
        var engine = Sys.ActorOf(Props.Create<Parent>(), "engine2");
        engine.Tell("symbols", TestActor);
        var symbols = ExpectMsg<IActorRef>();
        Assert.Equal(symbols, await Sys.ActorSelection("/user/engine2/symbols").ResolveOne(DefaultTimeout));
        Assert.Equal(symbols, await Sys.ActorSelection("akka://sys/user/engine2/symbols").ResolveOne(DefaultTimeout));
        engine.Tell("select ../engine2/symbols", TestActor);
        Assert.Equal(symbols, ExpectMsg<IActorRef>());
        Sys.ActorSelection("/user/engine2/*").Tell("ping", TestActor);
        ExpectMsg("ping");
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/missing").ResolveOne(DefaultTimeout));
    }

    [Fact]
    public void Selection_of_a_missing_actor_is_a_dead_letter()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        Sys.ActorSelection("/user/nobody-here").Tell("lost", TestActor);
        Assert.Equal("lost", ExpectMsg<DeadLetter>().Message);
    }

    [Fact]
    public void Identify_returns_the_actor_reference()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "identified");
        Sys.ActorSelection("/user/identified").Tell(new Identify(42), TestActor);
        var identity = ExpectMsg<ActorIdentity>();
        Assert.Equal(42, identity.MessageId);
        Assert.Equal(echo, identity.Subject);
    }

    [Fact]
    public void Dead_letters_are_counted_always_but_logged_at_most_once_per_actor_per_second()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
        var before = Sys.DeadLetterCount;
        EventFilter.DeadLetter().ExpectOne(() =>
        {
            for (var i = 0; i < 10; i++) actor.Tell(i, TestActor);
        });
        Assert.Equal(before + 10, Sys.DeadLetterCount);
        Advance(TimeSpan.FromSeconds(1));
        EventFilter.DeadLetter().ExpectOne(() => actor.Tell("again", TestActor));
    }

    [Fact]
    public void Sending_to_a_stopped_actor_never_throws_at_the_sender()
    {
        var actor = Sys.ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var error = Record.Exception(() => actor.Tell("x", TestActor));
        Assert.Null(error);
    }

    [Fact]
    public async Task Terminate_stops_all_actors_and_completes_WhenTerminated()
    {
        var system = ActorSystem.Create("other");
        var actor = system.ActorOf(Props.Create(() => new LifecycleActor(TestActor, "")));
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        await system.Terminate().WaitAsync(DefaultTimeout);
        ExpectMsg("postStop");
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.ThrowsAny<Exception>(() => system.ActorOf(Props.Create<EchoActor>()));
    }

    [Fact]
    public void EventStream_delivers_by_type_including_base_types()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Animal));
        Sys.EventStream.Publish(new Dog());
        Sys.EventStream.Publish("not an animal");
        ExpectMsg<Dog>();
        ExpectNoMsg();
        Sys.EventStream.Unsubscribe(TestActor);
        Sys.EventStream.Publish(new Dog());
        ExpectNoMsg();
    }

    private record Animal;
    private sealed record Dog : Animal;

    private sealed class Parent : ReceiveActor
    {
        public Parent()
        {
            Receive<string>(s => s == "symbols", _ => Sender.Tell(Context.ActorOf(Props.Create<EchoActor>(), "symbols")));
            Receive<string>(s => s.StartsWith("select ", StringComparison.Ordinal), s =>
            {
                var replyTo = Sender;
                Context.ActorSelection(s["select ".Length..]).ResolveOne(TimeSpan.FromSeconds(1)).PipeTo(replyTo);
            });
        }
    }
}
