using HueyP.Actors.Dispatch;
using HueyP.Actors.Event;

namespace HueyP.Actors;

/// <summary>
/// The kernel side of one actor: owns the mailbox, the current actor instance, its children,
/// its watches and its failure state. All mutable state except the children container is only
/// touched on the mailbox's consumer thread.
/// </summary>
internal sealed partial class ActorCell : IActorContext, IMessageInvoker
{
    [ThreadStatic] private static ActorCell? _current;
    [ThreadStatic] private static ActorCell? _constructing;

    private readonly ActorSystem _system;
    private readonly Props _props;
    private readonly IInternalActorRef _parent;
    private readonly LocalActorRef _self;
    private readonly Mailbox _mailbox;

    private ActorBase? _actor;
    private List<Receive>? _behaviorStack; // null: the actor's own Receive
    private object? _currentMessage;
    private IActorRef? _currentSender;
    private long _invocationCount;
    private volatile bool _isTerminated;
    private int _incarnation;
    private int _restartCount;

    public ActorCell(ActorSystem system, Props props, ActorPath path, IInternalActorRef parent)
    {
        _system = system;
        _props = props;
        _parent = parent;
        _self = new LocalActorRef(this, path);
        _mailbox = new Mailbox(this, system.Settings.Throughput, props.Mailbox ?? system.Settings.DefaultMailbox);
    }

    /// <summary>The cell whose message is being processed on this thread.</summary>
    internal static ActorCell? Current => _current;

    internal static ActorCell? Constructing => _constructing;

    internal Mailbox Mailbox => _mailbox;

    internal LocalActorRef SelfRef => _self;

    internal IInternalActorRef ParentRef => _parent;

    internal ActorBase? Actor => _actor;

    internal bool IsTerminated => _isTerminated;

    internal int RestartCount => Volatile.Read(ref _restartCount);

    internal object? CurrentMessage => _currentMessage;

    internal IActorRef? CurrentSender => _currentSender;

    /// <summary>
    /// For a message that carries several replies at once (a persistent actor's finished write call): each handler
    /// runs with the sender of the command that persisted its event.
    /// </summary>
    internal void SetCurrentSender(IActorRef? sender) => _currentSender = sender;

    internal long InvocationCount => _invocationCount;

    public IActorRef Self => _self;

    public IActorRef Sender => _currentSender ?? _system.DeadLetters;

    public IActorRef Parent => _parent;

    public ActorSystem System => _system;

    public Props Props => _props;

    internal void Start() => _mailbox.PostSystem(new Create());

    internal void Post(object message, IActorRef? sender)
    {
        if (_isTerminated) DeadLetter(message, sender);
        else _mailbox.Post(message, sender);
    }

    public void OnRunStart() => _current = this;

    public void OnRunEnd() => _current = null;

    public void DeadLetter(object message, IActorRef? sender) => _system.PublishDeadLetter(message, sender, _self);

    public void DeadLetterSystem(SystemMessage message) => DeadLetterSystemMessages.Answer(_self, message);

    public void Invoke(object message, IActorRef? sender)
    {
        _currentMessage = message;
        _currentSender = sender;
        _invocationCount++;
        try
        {
            if (message is IAutoReceivedMessage) AutoReceiveMessage(message);
            else ReceiveMessage(message);
            _currentMessage = null;
        }
        catch (Exception cause)
        {
            HandleInvokeFailure(cause);
        }
        finally
        {
            _currentSender = null;
        }
        if (_receiveTimeout is not null && message is not INotInfluenceReceiveTimeout) RescheduleReceiveTimeout();
    }

    private void ReceiveMessage(object message)
    {
        var actor = _actor;
        if (actor is null) return;
        var behavior = _behaviorStack is { Count: > 0 } stack ? stack[^1] : null;
        var handled = behavior is null ? actor.Receive(message) : behavior(message);
        if (!handled) actor.Unhandled(message);
    }

    private void AutoReceiveMessage(object message)
    {
        switch (message)
        {
            case Terminated terminated:
                if (IsTerminatedQueued(terminated.ActorRef)) ReceiveMessage(terminated);
                break;
            case CustomTerminated custom:
                if (IsTerminatedQueued(custom.ActorRef)) ReceiveMessage(custom.Message);
                break;
            case TimerMessage timer:
                if (_timers is not null && _timers.TryConsume(timer))
                {
                    // As Akka: once the stale-timer check passed, the actor sees (and may stash) the user's message.
                    _currentMessage = timer.Message;
                    ReceiveMessage(timer.Message);
                }
                break;
            case ReceiveTimeoutTick tick:
                if (tick.Generation == _receiveTimeoutGeneration && _receiveTimeout is not null) ReceiveMessage(Actors.ReceiveTimeout.Instance);
                break;
            case PoisonPill:
                _self.Stop();
                break;
            case Kill:
                throw new ActorKilledException();
            case Identify identify:
                Sender.Tell(new ActorIdentity(identify.MessageId, _self), _self);
                break;
            default:
                ReceiveMessage(message);
                break;
        }
    }

    public void SystemInvoke(SystemMessage message)
    {
        try
        {
            switch (message)
            {
                case Dispatch.Create: Create(); break;
                case Recreate recreate: FaultRecreate(recreate.Cause); break;
                case Dispatch.Suspend: FaultSuspend(); break;
                case Dispatch.Resume resume: FaultResume(resume.CausedByFailure); break;
                case Dispatch.Terminate: Terminate(); break;
                case Dispatch.Watch watch: AddWatcher(watch.Watchee, watch.Watcher); break;
                case Dispatch.Unwatch unwatch: RemoveWatcher(unwatch.Watchee, unwatch.Watcher); break;
                case Failed failed: HandleFailed(failed); break;
                case DeathWatchNotification notification:
                    WatchedActorTerminated(notification.Actor, notification.ExistenceConfirmed, notification.AddressTerminated);
                    break;
                case Crash crash:
                    if (_actor is not null && !IsTerminating) HandleInvokeFailure(crash.Cause);
                    break;
                case RunContinuation continuation: RunContinuation(continuation); break;
                case AsyncHandlerCompleted completed: AsyncHandlerCompleted(completed); break;
            }
        }
        catch (Exception cause)
        {
            HandleInvokeFailure(cause);
        }
    }

    public void Become(Receive receive)
    {
        _behaviorStack ??= new List<Receive>(2);
        if (_behaviorStack.Count > 0) _behaviorStack[^1] = receive;
        else _behaviorStack.Add(receive);
    }

    public void BecomeStacked(Receive receive) => (_behaviorStack ??= new List<Receive>(2)).Add(receive);

    public void UnbecomeStacked()
    {
        if (_behaviorStack is { Count: > 0 }) _behaviorStack.RemoveAt(_behaviorStack.Count - 1);
    }

    public ActorSelection ActorSelection(string path) => Actors.ActorSelection.Parse(_system, _self, path);

    internal void PublishUnhandled(object message)
    {
        _system.PublishUnhandled(new UnhandledMessage(message, Sender, _self));
    }

    private void NewActorInstance()
    {
        _behaviorStack = null;
        var previous = _constructing;
        _constructing = this;
        ActorBase actor;
        try
        {
            actor = _props.NewActor();
        }
        finally
        {
            _constructing = previous;
        }
        actor.AfterConstruction();
        _actor = actor;
    }

    /// <summary>Forget everything bound to the old actor instance; the receive timeout belongs to the cell and survives restarts.</summary>
    private void ClearActorState()
    {
        _behaviorStack = null;
        _timers?.CancelAll();
        _timers = null;
        _actor = null;
    }

    public override string ToString() => $"ActorCell({_self.Path})";
}
