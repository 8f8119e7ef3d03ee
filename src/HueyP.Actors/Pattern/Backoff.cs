namespace HueyP.Actors;

/// <summary>Entry point for backoff options, as Akka's <c>Backoff.OnFailure</c> / <c>Backoff.OnStop</c>.</summary>
public static class Backoff
{
    /// <summary>The child is restarted (after a growing delay) when it throws; if it stops on its own the supervisor stops too.</summary>
    public static BackoffOptions OnFailure(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries = -1) =>
        new(BackoffKind.OnFailure, childProps, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries);

    /// <summary>The child is started again (after a growing delay) whenever it stops, for whatever reason.</summary>
    public static BackoffOptions OnStop(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, int maxNrOfRetries = -1) =>
        new(BackoffKind.OnStop, childProps, childName, minBackoff, maxBackoff, randomFactor, maxNrOfRetries);
}

public enum BackoffKind
{
    OnFailure,
    OnStop,
}

/// <summary>Immutable backoff configuration; the With* methods return modified copies.</summary>
public sealed record BackoffOptions(
    BackoffKind Kind,
    Props ChildProps,
    string ChildName,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff,
    double RandomFactor,
    int MaxNrOfRetries)
{
    /// <summary>Null: reset after MinBackoff of healthy running (Akka's default auto reset).</summary>
    public TimeSpan? AutoResetAfter { get; init; }

    public bool ManualReset { get; init; }

    public SupervisorStrategy? Strategy { get; init; }

    public object? ReplyWhileStopped { get; init; }

    public BackoffOptions WithAutoReset(TimeSpan resetBackoff) => this with { AutoResetAfter = resetBackoff, ManualReset = false };

    public BackoffOptions WithManualReset() => this with { ManualReset = true };

    public BackoffOptions WithSupervisorStrategy(SupervisorStrategy strategy) => this with { Strategy = strategy };

    public BackoffOptions WithDefaultStoppingStrategy() => this with { Strategy = SupervisorStrategy.StoppingStrategy };

    public BackoffOptions WithReplyWhileStopped(object reply) => this with { ReplyWhileStopped = reply };

    public BackoffOptions WithMaxNrOfRetries(int maxNrOfRetries) => this with { MaxNrOfRetries = maxNrOfRetries };

    public Props Props() => BackoffSupervisor.Props(this);
}

/// <summary>
/// Starts a child and re-creates it with exponentially growing delays (min * 2^n, capped at max,
/// times 1 + random * randomFactor) after it stops (OnStop) or fails (OnFailure).
/// Messages are forwarded to the child; while it is away they get the configured reply or become dead letters.
/// </summary>
public sealed class BackoffSupervisor : ActorBase
{
    public sealed class GetCurrentChild
    {
        public static readonly GetCurrentChild Instance = new();
        private GetCurrentChild() { }
    }

    public sealed record CurrentChild(IActorRef? Ref);

    public sealed class GetRestartCount
    {
        public static readonly GetRestartCount Instance = new();
        private GetRestartCount() { }
    }

    public sealed record RestartCount(int Count);

    /// <summary>Resets the backoff to MinBackoff (for manual reset).</summary>
    public sealed class Reset
    {
        public static readonly Reset Instance = new();
        private Reset() { }
    }

    internal sealed class StartChild
    {
        public static readonly StartChild Instance = new();
        private StartChild() { }
    }

    internal sealed record ResetRestartCount(int Current);

    private readonly BackoffOptions _options;
    private readonly Random _random = new();
    private IActorRef? _child;
    private int _restartCount;
    private bool _childFailed;

    public BackoffSupervisor(BackoffOptions options) => _options = options;

    public static Props Props(BackoffOptions options) => Actors.Props.Create(() => new BackoffSupervisor(options));

    /// <summary>Akka's formula: min(max, min * 2^restartCount) * (1 + random * randomFactor).</summary>
    public static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, double random01)
    {
        var factor = 1.0 + random01 * randomFactor;
        var ticks = Math.Min(maxBackoff.Ticks, minBackoff.Ticks * Math.Pow(2, restartCount)) * factor;
        return ticks < 0 || double.IsInfinity(ticks) ? maxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    protected internal override SupervisorStrategy SupervisorStrategy()
    {
        var strategy = _options.Strategy ?? Actors.SupervisorStrategy.DefaultStrategy;
        if (_options.Kind == BackoffKind.OnStop) return strategy;
        // OnFailure: a Restart becomes stop-then-start-later, so the delay applies.
        return new OneForOneStrategy(strategy.MaxNumberOfRetries, strategy.WithinTimeRange, cause =>
        {
            var directive = strategy.Decider(cause);
            if (directive != Directive.Restart) return directive;
            _childFailed = true;
            return Directive.Stop;
        }, strategy.LoggingEnabled);
    }

    protected internal override void PreStart() => StartChildNow();

    private void StartChildNow()
    {
        if (_child is not null) return;
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
        _childFailed = false;
        if (_options.ManualReset || _restartCount == 0) return;
        var resetAfter = _options.AutoResetAfter ?? _options.MinBackoff;
        Context.System.Scheduler.ScheduleTellOnce(resetAfter, Self, new ResetRestartCount(_restartCount), Self);
    }

    protected internal override bool Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated when terminated.ActorRef.Equals(_child):
                _child = null;
                if (_options.Kind == BackoffKind.OnFailure && !_childFailed)
                {
                    Context.Stop(Self); // the child stopped on its own: we are done too
                    return true;
                }
                if (_options.MaxNrOfRetries >= 0 && _restartCount >= _options.MaxNrOfRetries)
                {
                    Context.Stop(Self);
                    return true;
                }
                var delay = CalculateDelay(_restartCount, _options.MinBackoff, _options.MaxBackoff, _options.RandomFactor, _random.NextDouble());
                _restartCount++;
                Context.System.Scheduler.ScheduleTellOnce(delay, Self, StartChild.Instance, Self);
                return true;
            case StartChild:
                StartChildNow();
                return true;
            case ResetRestartCount reset:
                if (reset.Current == _restartCount) _restartCount = 0;
                return true;
            case Reset:
                _restartCount = 0;
                return true;
            case GetCurrentChild:
                Sender.Tell(new CurrentChild(_child), Self);
                return true;
            case GetRestartCount:
                Sender.Tell(new RestartCount(_restartCount), Self);
                return true;
            default:
                if (_child is not null) _child.Forward(message);
                else if (_options.ReplyWhileStopped is { } reply) Sender.Tell(reply, Self);
                else Context.System.DeadLetters.Tell(new Event.DeadLetter(message, Sender, Self), Sender);
                return true;
        }
    }
}
