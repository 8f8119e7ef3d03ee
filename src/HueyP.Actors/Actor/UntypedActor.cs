namespace HueyP.Actors;

public delegate void UntypedReceive(object message);

/// <summary>An actor with a single OnReceive method; call <see cref="ActorBase.Unhandled"/> for messages it ignores.</summary>
public abstract class UntypedActor : ActorBase
{
    protected internal sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    protected abstract void OnReceive(object message);

    protected void Become(UntypedReceive receive) => Context.Become(ToReceive(receive));

    protected void BecomeStacked(UntypedReceive receive) => Context.BecomeStacked(ToReceive(receive));

    private static Receive ToReceive(UntypedReceive receive) => message =>
    {
        receive(message);
        return true;
    };
}
