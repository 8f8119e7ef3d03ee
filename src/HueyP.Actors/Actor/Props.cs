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

    /// <summary>
    /// The usual <c>() =&gt; new T(a, b)</c> is turned into a cached constructor invoker with the captured
    /// arguments evaluated once (no expression compilation per Props, which would make spawning slow).
    /// </summary>
    [OverloadResolutionPriority(1)]
    public static Props Create<TActor>(Expression<Func<TActor>> factory) where TActor : ActorBase
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Props(typeof(TActor), ActorFactory.From(factory), null, null);
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

internal static class ActorFactory
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<System.Reflection.ConstructorInfo, System.Reflection.ConstructorInvoker> Invokers = new();

    public static Func<ActorBase> From<TActor>(Expression<Func<TActor>> factory) where TActor : ActorBase
    {
        if (factory.Body is NewExpression { Constructor: { } constructor } creation)
        {
            var args = new object?[creation.Arguments.Count];
            var evaluated = true;
            for (var i = 0; i < args.Length && evaluated; i++) evaluated = TryEvaluate(creation.Arguments[i], out args[i]);
            if (evaluated)
            {
                var invoker = Invokers.GetOrAdd(constructor, System.Reflection.ConstructorInvoker.Create);
                return () => (ActorBase)invoker.Invoke(args.AsSpan());
            }
        }
        return factory.Compile();
    }

    /// <summary>Constants and captured variables (fields/properties of closures) are read by reflection.</summary>
    private static bool TryEvaluate(Expression expression, out object? value)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                value = constant.Value;
                return true;
            case MemberExpression member:
                object? target = null;
                if (member.Expression is not null && !TryEvaluate(member.Expression, out target))
                    break;
                if (member.Member is System.Reflection.FieldInfo field)
                {
                    value = field.GetValue(target);
                    return true;
                }
                if (member.Member is System.Reflection.PropertyInfo property && property.GetIndexParameters().Length == 0)
                {
                    value = property.GetValue(target);
                    return true;
                }
                break;
            case UnaryExpression { NodeType: ExpressionType.Convert } convert
                when !convert.Type.IsValueType && TryEvaluate(convert.Operand, out var operand):
                value = operand;
                return true;
        }
        value = null;
        return false;
    }
}
