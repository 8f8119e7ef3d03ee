using HueyP.Actors.Event;

namespace HueyP.Actors;

public enum Directive
{
    Resume,
    Restart,
    Stop,
    Escalate,
}

/// <summary>How a parent reacts to a child's failure. Retry budgets live in the parent's per-child stats.</summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled)
    {
        MaxNumberOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider ?? throw new ArgumentNullException(nameof(decider));
        LoggingEnabled = loggingEnabled;
    }

    /// <summary>Negative: unlimited. Zero: never restart.</summary>
    public int MaxNumberOfRetries { get; }

    /// <summary>Zero, negative or infinite: no window (the count lasts the child's life).</summary>
    public TimeSpan WithinTimeRange { get; }

    public Func<Exception, Directive> Decider { get; }

    public bool LoggingEnabled { get; }

    /// <summary>Akka's default decider: stop on initialization, kill and death-pact failures; restart otherwise.</summary>
    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    public static readonly SupervisorStrategy DefaultStrategy = new OneForOneStrategy(DefaultDecider);

    public static readonly SupervisorStrategy StoppingStrategy = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Returns false when the failure must be escalated.</summary>
    internal bool HandleFailure(ActorCell cell, ChildRestartStats failed, Exception cause)
    {
        Directive directive;
        try
        {
            directive = Decider(cause);
        }
        catch (Exception deciderFailure)
        {
            cell.System.Log.Error(deciderFailure, "Supervisor decider of {ActorPath} threw; escalating", cell.Self.Path);
            directive = Directive.Escalate;
        }
        if (directive != Directive.Escalate) LogFailure(cell, failed.Child, cause, directive);
        switch (directive)
        {
            case Directive.Resume:
                cell.ResumeChild(failed, cause);
                return true;
            case Directive.Restart:
                ProcessFailure(cell, restart: true, failed, cause);
                return true;
            case Directive.Stop:
                ProcessFailure(cell, restart: false, failed, cause);
                return true;
            default:
                return false;
        }
    }

    private protected abstract void ProcessFailure(ActorCell cell, bool restart, ChildRestartStats failed, Exception cause);

    private protected bool RequestRestartPermission(ActorCell cell, ChildRestartStats stats) =>
        stats.RequestRestartPermission(MaxNumberOfRetries, WithinTimeRange, cell.System.Settings.TimeProvider);

    /// <summary>Logged with the failing actor's path before the directive is applied.</summary>
    private void LogFailure(ActorCell cell, IActorRef child, Exception cause, Directive directive)
    {
        if (!LoggingEnabled) return;
        var childType = child is LocalActorRef local ? local.Cell.Props.ActorType : typeof(ActorBase);
        var log = new LoggingAdapter(cell.System.LoggerFactory, childType.FullName ?? childType.Name, child.Path);
        if (directive == Directive.Resume)
            log.Warning(cause, "Actor {ActorPath} failed ({Directive}): {Reason}", child.Path.ToString(), directive, cause.Message);
        else
            log.Error(cause, "Actor {ActorPath} failed ({Directive}): {Reason}", child.Path.ToString(), directive, cause.Message);
    }
}

/// <summary>Applies the directive to the failing child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, decider, loggingEnabled) { }

    public OneForOneStrategy(Func<Exception, Directive> decider, bool loggingEnabled = true)
        : this(-1, Timeout.InfiniteTimeSpan, decider, loggingEnabled) { }

    private protected override void ProcessFailure(ActorCell cell, bool restart, ChildRestartStats failed, Exception cause)
    {
        if (restart && RequestRestartPermission(cell, failed)) cell.RestartChild(failed, cause, suspendFirst: false);
        else cell.Stop(failed.Child);
    }
}

/// <summary>Restarts (or stops) all children when one fails; Resume still resumes only the failing one.</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, bool loggingEnabled = true)
        : base(maxNrOfRetries, withinTimeRange, decider, loggingEnabled) { }

    public AllForOneStrategy(Func<Exception, Directive> decider, bool loggingEnabled = true)
        : this(-1, Timeout.InfiniteTimeSpan, decider, loggingEnabled) { }

    private protected override void ProcessFailure(ActorCell cell, bool restart, ChildRestartStats failed, Exception cause)
    {
        var children = cell.ChildrenSnapshot(includeDying: false);
        if (children.Count == 0) return;
        if (restart && children.All(stats => RequestRestartPermission(cell, stats)))
        {
            foreach (var stats in children)
                cell.RestartChild(stats, cause, suspendFirst: !ReferenceEquals(stats.ChildRef, failed.ChildRef));
        }
        else
        {
            foreach (var stats in children) cell.Stop(stats.Child);
        }
    }
}
