namespace HueyP.Actors;

/// <summary>An actor whose behaviour is a list of typed handlers registered in the constructor or in Become.</summary>
public abstract class ReceiveActor : ActorBase
{
    private List<MessageHandler>? _configuring = new();
    private MessageHandler[] _initial = [];

    protected internal sealed override bool Receive(object message) => Dispatch(_initial, message);

    internal override void AfterConstruction()
    {
        _initial = _configuring?.ToArray() ?? [];
        _configuring = null;
    }

    private static bool Dispatch(MessageHandler[] handlers, object message)
    {
        foreach (var handler in handlers)
            if (handler.TryHandle(message)) return true;
        return false;
    }

    protected void Become(Action configure) => Context.Become(Build(configure));

    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    private Receive Build(Action configure)
    {
        var previous = _configuring;
        _configuring = new List<MessageHandler>();
        try
        {
            configure();
            var handlers = _configuring.ToArray();
            return message => Dispatch(handlers, message);
        }
        finally
        {
            _configuring = previous;
        }
    }

    private void Add(MessageHandler handler) =>
        (_configuring ?? throw new InvalidOperationException(
            "Receive can only be called in the constructor or inside Become/BecomeStacked.")).Add(handler);

    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null) =>
        Add(new ActionHandler<T>(handler, shouldHandle));

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler) =>
        Add(new ActionHandler<T>(handler, shouldHandle));

    /// <summary>The handler returns whether it handled the message.</summary>
    protected void Receive<T>(Func<T, bool> handler) => Add(new FuncHandler<T>(handler));

    /// <summary>User messages wait until the returned task completes; continuations run inside the actor.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null) =>
        Add(new ActionHandler<T>(message => Cell.RunAsync(() => handler(message)), shouldHandle));

    protected void ReceiveAsync<T>(Predicate<T> shouldHandle, Func<T, Task> handler) => ReceiveAsync(handler, shouldHandle);

    protected void ReceiveAny(Action<object> handler) => Add(new ActionHandler<object>(handler, null));

    protected void ReceiveAnyAsync(Func<object, Task> handler) =>
        Add(new ActionHandler<object>(message => Cell.RunAsync(() => handler(message)), null));

    private abstract class MessageHandler
    {
        public abstract bool TryHandle(object message);
    }

    private sealed class ActionHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : MessageHandler
    {
        public override bool TryHandle(object message)
        {
            if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed))) return false;
            handler(typed);
            return true;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> handler) : MessageHandler
    {
        public override bool TryHandle(object message) => message is T typed && handler(typed);
    }
}
