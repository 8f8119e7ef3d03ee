using HueyP.Actors.Event;

namespace HueyP.Actors.Tests;

/// <summary>Small actors shared by the specs.</summary>
internal sealed class EchoActor : ReceiveActor
{
    public EchoActor() => ReceiveAny(message => Sender.Tell(message, Self));
}

/// <summary>Throws the given exception for any Exception message; reports lifecycle hooks to a probe.</summary>
internal sealed class LifecycleActor : ReceiveActor
{
    private readonly IActorRef _probe;
    private readonly string _id;
    private int _processed;

    public LifecycleActor(IActorRef probe, string id = "")
    {
        _probe = probe;
        _id = id;
        _probe.Tell($"{_id}ctor");
        Receive<Exception>(exception => throw exception);
        Receive<string>(s => s == "count", _ => Sender.Tell(++_processed));
        Receive<string>(s => s == "children", _ => Sender.Tell(Context.GetChildren().Count()));
        Receive<Props>(props => Sender.Tell(Context.ActorOf(props)));
        ReceiveAny(message => Sender.Tell(message));
    }

    protected internal override void PreStart() => _probe.Tell($"{_id}preStart");

    protected internal override void PostStop() => _probe.Tell($"{_id}postStop");

    protected internal override void PreRestart(Exception reason, object? message)
    {
        _probe.Tell($"{_id}preRestart:{reason.Message}:{(message is Exception e ? e.Message : message)}");
        base.PreRestart(reason, message);
    }

    protected internal override void PostRestart(Exception reason)
    {
        _probe.Tell($"{_id}postRestart:{reason.Message}");
        base.PostRestart(reason);
    }
}

/// <summary>A parent that applies a given strategy and creates children on request.</summary>
internal sealed class Supervisor : ReceiveActor
{
    private readonly SupervisorStrategy _strategy;

    public Supervisor(SupervisorStrategy strategy)
    {
        _strategy = strategy;
        Receive<(Props Props, string Name)>(request => Sender.Tell(Context.ActorOf(request.Props, request.Name)));
        Receive<Props>(props => Sender.Tell(Context.ActorOf(props)));
        Receive<Exception>(exception => throw exception);
        Receive<SupervisorStrategySpec.BlockWith>(block => block.Gate.Wait());
    }

    protected internal override SupervisorStrategy SupervisorStrategy() => _strategy;

    protected internal override void PreRestart(Exception reason, object? message)
    {
        // keep children: hierarchy specs check what happens to them explicitly
    }
}

internal sealed class Crasher(string reason) : Exception(reason);

internal static class TestKitExtensions
{
    public static IActorRef ChildOf(this TestKit.TestKit kit, IActorRef supervisor, Props props, string name)
    {
        var replyTo = kit.CreateTestProbe();
        supervisor.Tell((props, name), replyTo.Ref);
        return replyTo.ExpectMsg<IActorRef>();
    }
}
