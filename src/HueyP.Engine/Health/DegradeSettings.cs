using HueyP.Actors;
using HueyP.Engine.Modes;

namespace HueyP.Engine.Health;

/// <summary>
/// How a live engine degrades and repairs: the mode actor, the health sampler, the journal probe and the journal
/// runbook. A node installs it on its actor system before starting the engine (<see cref="Install"/>); without it every
/// part runs on its defaults. An actor-system extension rather than an <see cref="EngineSettings"/> field, so these
/// parts stay configurable without the engine's settings knowing about each.
/// </summary>
public sealed record DegradeSettings
{
    public ModeActorSettings Mode { get; init; } = ModeActorSettings.Default;
    public HealthSamplerSettings Health { get; init; } = HealthSamplerSettings.Default;
    public JournalProbeSettings JournalProbe { get; init; } = JournalProbeSettings.Default;

    /// <summary>Start the journal runbook when the journal breaker opens.</summary>
    public bool RepairJournal { get; init; } = true;

    public int JournalShadowProbes { get; init; } = 5;
    public TimeSpan JournalShadowSpacing { get; init; } = TimeSpan.FromSeconds(4);

    public static DegradeSettings Default { get; } = new();

    /// <summary>Installs these settings on the system (first call wins, as for every extension); returns the installed ones.</summary>
    public static DegradeSettings Install(ActorSystem system, DegradeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.GetOrAddExtension(_ => new Holder(settings)).Settings;
    }

    public static DegradeSettings For(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.GetOrAddExtension(_ => new Holder(Default)).Settings;
    }

    private sealed class Holder(DegradeSettings settings)
    {
        public DegradeSettings Settings { get; } = settings;
    }
}
