namespace HueyP.Domain.Faults;

/// <summary>
/// What a supervisor does with the failing child. Mirrors the actor kernel's Directive; the actor side maps one to the
/// other so this domain stays free of actor references.
/// </summary>
public enum SupervisorDirective
{
    Resume,
    Restart,
    Stop,
    Escalate,
}

/// <summary>Maps a classified fault to a supervisor directive; the table supervisor deciders use.</summary>
public static class Supervision
{
    /// <summary>
    /// Resume keeps the child's state (the fault was in the input, not the child); Restart rebuilds a connection;
    /// Stop takes a provider out until an operator or a repair brings it back; Escalate sends the fault up the tree,
    /// where the root turns it into SAFE_MODE (invariants, bugs) or a decision (unknown).
    /// </summary>
    public static SupervisorDirective DirectiveFor(FaultCategory category) => category switch
    {
        FaultCategory.TransientNetwork => SupervisorDirective.Restart,
        FaultCategory.RateLimit => SupervisorDirective.Resume,
        FaultCategory.Auth => SupervisorDirective.Stop,
        FaultCategory.BadData => SupervisorDirective.Resume,
        FaultCategory.ProviderSchema => SupervisorDirective.Stop,
        FaultCategory.OrderRejected => SupervisorDirective.Resume,
        FaultCategory.BrokerState => SupervisorDirective.Restart,
        FaultCategory.InvariantViolation => SupervisorDirective.Escalate,
        FaultCategory.ProgrammingError => SupervisorDirective.Escalate,
        FaultCategory.Unknown => SupervisorDirective.Escalate,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "unknown fault category"),
    };

    public static SupervisorDirective DirectiveFor(FaultClassification classification)
    {
        ArgumentNullException.ThrowIfNull(classification);
        return DirectiveFor(classification.Category);
    }

    /// <summary>A ready-made decider: classify, then map. The actor wraps it into the kernel's decider signature.</summary>
    public static Func<Exception, SupervisorDirective> Decider(FaultClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return e => DirectiveFor(classifier.Classify(e));
    }
}
