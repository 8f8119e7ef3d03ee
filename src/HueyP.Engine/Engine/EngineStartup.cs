using System.Collections.Concurrent;
using HueyP.Domain.Decisions;
using HueyP.Engine.Decisions;
using HueyP.Engine.Gates;
using HueyP.Engine.Intents;
using HueyP.Engine.Symbols;

namespace HueyP.Engine;

/// <summary>What <see cref="EngineHost"/> prepared (and validated) before the engine actor starts; the holders outlive child restarts.</summary>
internal sealed record EngineStartup(
    EngineSettings Settings,
    ConstraintRepository Constraints,
    IReadOnlyCollection<string> AllowedSymbols,
    Func<string, DecisionEngineOptions> OptionsFor,
    RecorderState Recorder,
    ConcurrentDictionary<string, SymbolMemory> SymbolMemories,
    IOrderIntentSink Sink,
    ITickObserver? Observer,
    Orders.IEngineOrderSide? OrderSide = null);
