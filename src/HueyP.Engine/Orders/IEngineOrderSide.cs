using HueyP.Actors;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Engine.Intents;

namespace HueyP.Engine.Orders;

/// <summary>
/// How the order side plugs into the engine: it spawns its actors under /user/engine, receives intents through its
/// <see cref="Sink"/>, shapes the environment symbols decide in, and joins the replay's slice barrier.
/// </summary>
public interface IEngineOrderSide
{
    IOrderIntentSink Sink { get; }

    /// <summary>Called by /user/engine while it starts: spawn the order side's children.</summary>
    void Start(IActorContext engine);

    /// <summary>The environment for the next decisions: the template with the portfolio facts filled in.</summary>
    DecisionEnvironment Environment(DecisionEnvironment template);

    /// <summary>
    /// Replay barrier, after every symbol acknowledged the slice: the slice's quotes in (time, symbol) order. Returns
    /// once every intent of the slice is journaled and submitted, every quote matched, every report journaled.
    /// </summary>
    Task OnSliceBarrierAsync(DateTime sliceEndUtc, IReadOnlyList<Quote> quotes, CancellationToken ct);

    /// <summary>Live: a quote as it arrives (before the symbols decide on it); must not block.</summary>
    void OnLiveQuote(in Quote quote);
}
