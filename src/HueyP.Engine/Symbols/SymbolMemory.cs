using HueyP.Actors;
using HueyP.Domain.Bars;
using HueyP.Domain.Market;
using HueyP.Domain.Symbols;

namespace HueyP.Engine.Symbols;

/// <summary>
/// What a symbol keeps outside its actor incarnation, so a restart can rebuild the exact indicator state: the closed
/// bars (the strategy reads only their open time and OHLC), the quotes of the bar in progress, counters, the state
/// machine, and the batch that was being processed when the handler threw. The region creates one per entity and
/// hands it to every incarnation through Props.
/// </summary>
internal sealed class SymbolMemory(string symbol, int barLimit)
{
    public string Symbol { get; } = symbol;
    public Queue<Bar> ClosedBars { get; } = new();
    public List<Quote> CurrentBarQuotes { get; } = new();
    public SymbolStateMachine StateMachine { get; } = new(symbol);

    /// <summary>False once bars had to be dropped: a re-warm then starts later than the original and may differ slightly.</summary>
    public bool RewarmIsExact { get; private set; } = true;

    public long Quotes;
    public long Signals;
    public long Intents;
    public long RecordSequence;
    public int Restarts;
    public long QuotesSkippedAfterFailure;
    public DateTime? LastQuoteUtc;

    /// <summary>The message in progress, its reply address and the index of the quote being applied.</summary>
    public object? InFlight;
    public IActorRef? InFlightReplyTo;
    public int InFlightIndex;

    /// <summary>How this symbol was warmed at start; null while its warm start is still pending (or in replay).</summary>
    public SymbolWarmStartReport? WarmStart;

    /// <summary>
    /// Live quotes that arrived before the warm start finished, in arrival order with their senders. Kept here, not in
    /// the actor, so a restart meanwhile still answers every one of them (the router's credits depend on it).
    /// </summary>
    public List<(LiveQuote Quote, IActorRef ReplyTo)> HeldWhileWarming { get; } = new();

    /// <summary>The newest bar already in this symbol's journal stream: an older or equal one is not journaled again.</summary>
    public DateTime? LatestJournaledBarOpenUtc;

    /// <summary>
    /// Seeds the history a warm start found, before any live quote was applied. Exact only when nothing older was cut,
    /// here or at the source.
    /// </summary>
    public void Seed(WarmStartData data)
    {
        foreach (var bar in data.Bars) BarClosed(bar);
        CurrentBarQuotes.AddRange(data.BarInProgress);
        if (!data.Complete) RewarmIsExact = false;
        LatestJournaledBarOpenUtc = data.LatestStoredBarOpenUtc;
    }

    public void BarClosed(in Bar bar)
    {
        ClosedBars.Enqueue(bar);
        if (ClosedBars.Count > barLimit)
        {
            ClosedBars.Dequeue();
            RewarmIsExact = false;
        }

        CurrentBarQuotes.Clear();
    }
}
