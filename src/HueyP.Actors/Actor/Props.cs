using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using HueyP.Actors.Dispatch;

namespace HueyP.Actors;

/// <summary>Immutable recipe for creating (and re-creating on restart) an actor.</summary>
public sealed class Props
{
    private readonly Func<ActorBase> _factory;

    private Props(Type actorType, Func<ActorBase> factory, SupervisorStrategy? supervisorStrategy, MailboxSettings? mailbox)
    {
        ActorType = actorType;
        _factory = factory;
        SupervisorStrategy = supervisorStrategy;
        Mailbox = mailbox;
    }

    public Type ActorType { get; }

    /// <summary>Overrides the strategy the actor applies to its children.</summary>
    public SupervisorStrategy? SupervisorStrategy { get; }

    public MailboxSettings? Mailbox { get; }

    public static Props Create<TActor>() where TActor : ActorBase, new() =>
        new(typeof(TActor), static () => new TActor(), null, null);

    /// <summary>Compiled once here, so every spawn and restart is a plain delegate call.</summary>
    [OverloadResolutionPriority(1)]
    public static Props Create<TActor>(Expression<Func<TActor>> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        var compiled = factory.Compile();
        return new Props(typeof(TActor), compiled, null, null);
    }

    public static Props Create<TActor>(Func<TActor> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), factory, null, null);
    }

    public static Props Create(Type actorType, params object?[] args)
    {
        if (!typeof(ActorBase).IsAssignableFrom(actorType))
            throw new ArgumentException($"{actorType} is not an actor type", nameof(actorType));
        return new Props(actorType, () => (ActorBase)Activator.CreateInstance(actorType, args)!, null, null);
    }

    public Props WithSupervisorStrategy(SupervisorStrategy strategy) => new(ActorType, _factory, strategy, Mailbox);

    public Props WithMailbox(MailboxSettings mailbox) => new(ActorType, _factory, SupervisorStrategy, mailbox);

    internal ActorBase NewActor() => _factory();

    public override string ToString() => $"Props({ActorType.Name})";
}
