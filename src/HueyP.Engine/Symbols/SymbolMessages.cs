using HueyP.Actors;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Domain.Strategy;
using HueyP.Domain.Symbols;

namespace HueyP.Engine.Symbols;

/// <summary>Messages the symbol region routes to the entity named by <see cref="Symbol"/> (the entity id).</summary>
public interface ISymbolMessage
{
    string Symbol { get; }
}

/// <summary>
/// Replay: one symbol's quotes of one slice, in data order (the array is the router's and is reused after the ack).
/// The reply <see cref="SliceProcessed"/> is the slice barrier: the symbol has told the recorder every record first.
/// </summary>
public sealed record ProcessSlice(string Symbol, Quote[] Quotes, int Count) : ISymbolMessage;

public sealed record SliceProcessed(string Symbol, int Quotes, int Signals);

/// <summary>Live: one quote, stamped (Stopwatch) when it entered the engine. Answered with <see cref="QuoteCredit"/>.</summary>
public sealed record LiveQuote(Quote Quote, long EnqueuedTimestamp) : ISymbolMessage
{
    public string Symbol => Quote.Symbol;
}

/// <summary>Live: the symbol is ready for its next quote (credit-based flow to the router).</summary>
public sealed record QuoteCredit(string Symbol);

/// <summary>Replies <see cref="SymbolStatus"/>.</summary>
public sealed record GetSymbolStatus(string Symbol) : ISymbolMessage;

public sealed record SymbolStatus(
    string Symbol,
    SymbolState State,
    long Quotes,
    long Signals,
    long Intents,
    int Restarts,
    long QuotesSkippedAfterFailure,
    IndicatorSnapshot Indicators,
    DateTime? LastQuoteUtc)
{
    /// <summary>Live: how the symbol was warmed when it started (source, bars, first and last bar); null in replay and while pending.</summary>
    public SymbolWarmStartReport? WarmStart { get; init; }
}

/// <summary>Starts the symbol's entity before its first quote, so its warm start (a journal read) is under way when quotes come.</summary>
internal sealed record StartSymbol(string Symbol) : ISymbolMessage;

/// <summary>The symbol's warm-start history was read (<see cref="Data"/>), or could not be (<see cref="Problem"/>).</summary>
internal sealed record WarmStartLoaded(WarmStartData? Data, string? Problem);

internal sealed record WarmStartTimedOut
{
    public static readonly WarmStartTimedOut Instance = new();
}

/// <summary>Moves the symbol's state machine (e.g. HALT as a kill switch, IDLE to reset); replies <see cref="SymbolStateChanged"/>.</summary>
public sealed record ChangeSymbolState(string Symbol, SymbolState Target) : ISymbolMessage;

public sealed record SymbolStateChanged(string Symbol, SymbolState State, string? Error);

/// <summary>Replies <see cref="EntityFor"/>: the symbol's entity (started if needed), for senders that skip the region hop.</summary>
public sealed record GetEntity(string Symbol) : ISymbolMessage;

public sealed record EntityFor(string Symbol, IActorRef Entity);

/// <summary>Observer of the live tick path (latency measurement): called by the symbol after each quote.</summary>
public interface ITickObserver
{
    void OnQuoteProcessed(long enqueuedTimestamp, DecisionRecord? record);
}
