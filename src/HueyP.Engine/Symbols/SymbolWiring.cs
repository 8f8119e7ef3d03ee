using HueyP.Actors;
using HueyP.Domain.Decisions;
using HueyP.Engine.Intents;

namespace HueyP.Engine.Symbols;

/// <summary>
/// What every symbol entity is started with: its decision options (constraints included) and where its outputs go.
/// The environment is read when a bar closes: with an order side it carries the ledger's facts as of the last barrier.
/// </summary>
internal sealed record SymbolWiring(
    Func<string, DecisionEngineOptions> OptionsFor,
    Func<DecisionEnvironment> Environment,
    IActorRef Recorder,
    IActorRef Agents,
    IOrderIntentSink Sink,
    ITickObserver? Observer,
    int RewarmBarLimit)
{
    /// <summary>Live mode: each symbol reports (status and log) how it was warmed at start.</summary>
    public bool Live { get; init; }

    /// <summary>Live only: where a new symbol reads its history before its first quote; null starts cold.</summary>
    public IWarmStartSource? WarmStart { get; init; }

    /// <summary>Live, warm-start = journal: the actor that journals each closed bar; null journals none.</summary>
    public IActorRef? BarJournal { get; init; }

    /// <summary>A warm start that has not finished this long after it began is given up: the symbol starts cold rather than not at all.</summary>
    public TimeSpan WarmStartTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
