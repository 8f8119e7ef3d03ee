using HueyP.Actors;
using HueyP.Domain.Decisions;
using HueyP.Domain.Trading;

namespace HueyP.Engine.Intents;

/// <summary>
/// Where APPROVEd order intents leave the decision pipeline. The order side plugs in here (OrderSide forwards each
/// intent to its intake actor as <see cref="SubmitOrderIntent"/>) without changes to the engine.
/// Called from symbol actors, possibly concurrently for different symbols: implementations must be thread-safe and
/// must not block (they run on the tick path).
/// </summary>
public interface IOrderIntentSink
{
    void Submit(OrderIntent intent, DecisionRecord record);
}

/// <summary>The message an actor-based order side receives for each intent.</summary>
public sealed record SubmitOrderIntent(OrderIntent Intent, DecisionRecord Record);

/// <summary>The stand-in until the order side exists: counts intents and keeps none.</summary>
public sealed class CountingIntentSink : IOrderIntentSink
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Submit(OrderIntent intent, DecisionRecord record) => Interlocked.Increment(ref _count);
}
