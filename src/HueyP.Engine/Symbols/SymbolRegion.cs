using System.Collections.Concurrent;
using HueyP.Actors;
using HueyP.Actors.Sharding;

namespace HueyP.Engine.Symbols;

/// <summary>Entity id = the symbol the message names.</summary>
internal sealed class SymbolMessageExtractor() : HashCodeMessageExtractor(maxNumberOfShards: 16)
{
    public override string? EntityId(object message) => (message as ISymbolMessage)?.Symbol;
}

/// <summary>
/// /user/engine/symbols: the kernel's <see cref="EntityRegion"/> with one entity per symbol. Entities are never
/// passivated (their indicator state is the point of them). Each entity's <see cref="SymbolMemory"/> is owned by the
/// engine, outside the region, so a restart of an entity — or of the whole region — re-warms instead of starting cold.
/// </summary>
internal static class SymbolRegion
{
    public static Props Props(SymbolWiring wiring, ConcurrentDictionary<string, SymbolMemory> memories, SupervisorStrategy entityStrategy) =>
        EntityRegion.Props(
            symbol => SymbolActor.Props(memories.GetOrAdd(symbol, s => new SymbolMemory(s, wiring.RewarmBarLimit)), wiring),
            new SymbolMessageExtractor(),
            new EntityRegionSettings { PassivateIdleEntityAfter = null, EntitySupervisorStrategy = entityStrategy });
}
