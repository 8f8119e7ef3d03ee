using HueyP.Domain.Modes;
using HueyP.Engine.Intents;

namespace HueyP.Engine.Orders;

/// <summary>
/// What the order intake keeps outside its actor incarnation (like a symbol's SymbolMemory): the intents that arrived
/// but are not journaled yet — a replay slice's intents wait here for the barrier's flush — and the mode permissions
/// last seen on the EventStream. A restarted intake finds both, so a crash between taking a slice's intents and the
/// flush loses no order, and a restart in DEGRADED_EXEC or SAFE_MODE keeps refusing entries. The owner (the order
/// side) creates one per intake and hands it to every incarnation through Props; only the current incarnation
/// touches it, so it needs no lock.
/// </summary>
public sealed class IntakeMemory
{
    /// <summary>Arrived intents, in arrival order; removed only once the flush that took them has journaled its facts.</summary>
    internal List<SubmitOrderIntent> Unflushed { get; } = [];

    /// <summary>The mode's permissions as last published; null until the intake heard of a mode (entries allowed).</summary>
    internal ModePermissions? Permissions { get; set; }

    /// <summary>When the mode actor stated <see cref="Permissions"/>: an older answer never overwrites a newer one.</summary>
    internal DateTimeOffset? PermissionsAsOf { get; set; }
}
