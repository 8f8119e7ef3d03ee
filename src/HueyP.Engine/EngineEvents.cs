using HueyP.Engine.Gates;
using HueyP.Engine.Modes;
using HueyP.Engine.Orders;
using HueyP.Persistence.Serialization;

namespace HueyP.Engine;

/// <summary>
/// Every event type the engine's persistent actors write, registered with its manifest: whatever reads a journal
/// (a node, a replay, `hueyp state rebuild`, a report) must be able to decode all of it.
/// </summary>
public static class EngineEvents
{
    public static EventSerializer Serializer() =>
        Symbols.SymbolBars.Register(ConstraintStore.Register(ModeSerialization.Register(OrderSideSerialization.Register(new EventSerializer()))));
}
