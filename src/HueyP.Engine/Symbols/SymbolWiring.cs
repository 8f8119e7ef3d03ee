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
    int RewarmBarLimit);
