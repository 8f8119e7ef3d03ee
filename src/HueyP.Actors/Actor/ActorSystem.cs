using System.Collections.Concurrent;
using HueyP.Actors.Diagnostics;
using HueyP.Actors.Event;
using Microsoft.Extensions.Logging;

namespace HueyP.Actors;

/// <summary>A hierarchy of actors with its guardians (/, /user, /system), scheduler, event stream and dead letters.</summary>
public sealed class ActorSystem : IActorRefFactory, IDisposable
{
    private readonly ActorCell _root;
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Type, object> _extensions = new();
    private readonly ConcurrentDictionary<ActorPath, long> _deadLetterLastLogged = new();
    private long _deadLetterCount;
    private long _unhandledCount;
    private long _tempNameCounter;
    private int _terminateRequested;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        LoggerFactory = settings.LoggerFactory;
        Scheduler = new TimeProviderScheduler(settings.TimeProvider);
        EventStream = new EventStream();
        var rootPath = ActorPath.CreateRoot(name);
        DeadLetters = new DeadLetterActorRef(rootPath / "deadLetters", this);
        Log = new LoggingAdapter(LoggerFactory, typeof(ActorSystem).FullName!, rootPath);
        var terminationWatcher = new TerminationWatcherRef(rootPath / "bubble-walker", OnRootTerminated);
        _root = new ActorCell(this, Props.Create<RootGuardianActor>(), rootPath, terminationWatcher);
        _userGuardian = _root.AttachChild(Props.Create<GuardianActor>().WithSupervisorStrategy(settings.GuardianSupervisorStrategy), "user");
        _systemGuardian = _root.AttachChild(Props.Create<GuardianActor>(), "system");
        _root.Start();
        Diagnostics = new ActorSystemDiagnostics(this);
    }

    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        if (!ActorPath.IsValidPathElement(name) || name.Contains('/'))
            throw new ArgumentException($"Invalid actor system name [{name}]", nameof(name));
        return new ActorSystem(name, settings ?? ActorSystemSettings.Default);
    }

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    public IScheduler Scheduler { get; }

    public EventStream EventStream { get; }

    public IActorRef DeadLetters { get; }

    public ILoggingAdapter Log { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ActorSystemDiagnostics Diagnostics { get; }

    /// <summary>Messages that could not be delivered, since start.</summary>
    public long DeadLetterCount => Interlocked.Read(ref _deadLetterCount);

    /// <summary>Messages actors did not handle, since start.</summary>
    public long UnhandledCount => Interlocked.Read(ref _unhandledCount);

    public Task WhenTerminated => _terminated.Task;

    internal ActorCell RootCell => _root;

    internal ActorCell UserGuardianCell => _userGuardian;

    internal ActorCell SystemGuardianCell => _systemGuardian;

    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.ActorOf(props, name);

    /// <summary>Creates an actor under /system (for kernel and infrastructure actors).</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.ActorOf(props, name);

    public ActorSelection ActorSelection(string path) => Actors.ActorSelection.Parse(this, _root.Self, path);

    public ActorSelection ActorSelection(ActorPath path) => Actors.ActorSelection.Parse(this, _root.Self, path.ToStringWithoutAddress());

    /// <summary>Stops the actor asynchronously (via its parent, so its name stays reserved until it has terminated).</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is LocalActorRef { Cell.ParentRef: LocalActorRef parent }) parent.Cell.Stop(actor);
        else if (actor is IInternalActorRef target) target.Stop();
    }

    /// <summary>Stops /user (and so all user actors), then /system; completes <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        if (_extensions.TryGetValue(typeof(CoordinatedShutdown), out var extension)
            && extension is CoordinatedShutdown { HasStarted: false } shutdown
            && shutdown.Settings.TerminateActorSystem)
        {
            shutdown.Run(ShutdownReason.ActorSystemTerminate);
            return WhenTerminated;
        }
        return TerminateNow();
    }

    internal Task TerminateNow()
    {
        if (Interlocked.Exchange(ref _terminateRequested, 1) == 0) _userGuardian.SelfRef.Stop();
        return WhenTerminated;
    }

    public void Dispose() => Terminate().Wait(TimeSpan.FromSeconds(10));

    /// <summary>Registers (once) and returns a system-wide extension such as CoordinatedShutdown.</summary>
    public T GetOrAddExtension<T>(Func<ActorSystem, T> factory) where T : class =>
        (T)_extensions.GetOrAdd(typeof(T), _ => factory(this));

    internal ActorPath NewTempPath() => _root.Self.Path / "temp" / ("$" + Interlocked.Increment(ref _tempNameCounter));

    private void OnRootTerminated()
    {
        Interlocked.Exchange(ref _terminateRequested, 1);
        _terminated.TrySetResult();
    }

    internal void PublishDeadLetter(object message, IActorRef? sender, IActorRef recipient)
    {
        Interlocked.Increment(ref _deadLetterCount);
        var deadLetter = new DeadLetter(message, sender ?? DeadLetters, recipient);
        EventStream.Publish(deadLetter);
        if (!Settings.LogDeadLetters || message is IDeadLetterSuppression || !Log.IsEnabled(LogLevel.Information)) return;
        var now = Settings.TimeProvider.GetTimestamp();
        var last = _deadLetterLastLogged.GetOrAdd(recipient.Path, long.MinValue);
        if (last != long.MinValue && Settings.TimeProvider.GetElapsedTime(last, now) < Settings.DeadLetterLogInterval) return;
        if (!_deadLetterLastLogged.TryUpdate(recipient.Path, now, last)) return;
        if (_deadLetterLastLogged.Count > 10_000) _deadLetterLastLogged.Clear();
        Log.Info("Message [{MessageType}] from {Sender} to {Recipient} was not delivered (dead letter; {DeadLetterCount} so far)",
            message.GetType().Name, deadLetter.Sender.Path.ToString(), recipient.Path.ToString(), DeadLetterCount);
    }

    internal void PublishUnhandled(UnhandledMessage unhandled)
    {
        Interlocked.Increment(ref _unhandledCount);
        EventStream.Publish(unhandled);
        if (Log.IsEnabled(LogLevel.Debug))
            Log.Debug("Unhandled message [{MessageType}] from {Sender} to {Recipient}",
                unhandled.Message.GetType().Name, unhandled.Sender.Path.ToString(), unhandled.Recipient.Path.ToString());
    }

    public override string ToString() => $"akka://{Name}";
}
