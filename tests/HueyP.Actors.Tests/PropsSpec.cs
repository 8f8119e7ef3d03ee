namespace HueyP.Actors.Tests;

public sealed class PropsSpec : TestKit.TestKit
{
    [Fact]
    public void Expression_props_pass_captured_arguments_and_nested_expressions()
    {
        var greeting = "hello";
        Sys.ActorOf(Props.Create(() => new Greeter(greeting, TestActor, new List<int> { 1, 2 })));
        ExpectMsg("hello:2");
    }

    [Fact]
    public void Func_type_and_generic_props_create_actors()
    {
        Func<Greeter> factory = () => new Greeter("func", TestActor, []);
        Sys.ActorOf(Props.Create(factory));
        ExpectMsg("func:0");
        Sys.ActorOf(Props.Create(typeof(Greeter), "typed", TestActor, new List<int>()));
        ExpectMsg("typed:0");
        Assert.Equal(typeof(EchoActor), Props.Create<EchoActor>().ActorType);
    }

    [Fact]
    public void WithSupervisorStrategy_overrides_the_actors_own_strategy()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy))
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Stop)));
        var child = this.ChildOf(parent, Props.Create<EchoActor>(), "c");
        Watch(child);
        child.Tell(Kill.Instance);
        ExpectTerminated(child);
        var second = this.ChildOf(parent, Props.Create(() => new LifecycleActor(TestActor, "")), "d");
        ExpectMsg("ctor");
        ExpectMsg("preStart");
        Watch(second);
        second.Tell(new Crasher("would restart by default"));
        ExpectMsg("postStop");
        ExpectTerminated(second);
    }

    private sealed class Greeter : ReceiveActor
    {
        public Greeter(string greeting, IActorRef probe, List<int> items) => probe.Tell($"{greeting}:{items.Count}");
    }
}
