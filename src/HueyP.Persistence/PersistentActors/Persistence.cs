using HueyP.Actors;

namespace HueyP.Persistence.PersistentActors;

/// <summary>How persistent actors recover.</summary>
public sealed record PersistenceSettings
{
    /// <summary>Recovery fails when no snapshot or event arrived for this long (Akka's recovery-event-timeout).</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many actors may read their history at once, so a node restarting with 10,000 orders does not open 10,000
    /// database readers together (Akka's max-concurrent-recoveries).
    /// </summary>
    public int MaxConcurrentRecoveries { get; init; } = 50;
}

/// <summary>
/// The actor system's persistence extension (Akka's <c>Persistence.Instance.Apply(system)</c>): which store persistent
/// actors write to. The node installs it once at start-up, before any persistent actor starts.
/// </summary>
public sealed class Persistence
{
    private Persistence(PersistenceStore store, PersistenceSettings settings)
    {
        Store = store;
        Settings = settings;
        RecoveryPermits = new SemaphoreSlim(settings.MaxConcurrentRecoveries, settings.MaxConcurrentRecoveries);
    }

    public PersistenceStore Store { get; }
    public PersistenceSettings Settings { get; }
    internal SemaphoreSlim RecoveryPermits { get; }

    public static Persistence Install(ActorSystem system, PersistenceStore store, PersistenceSettings? settings = null)
    {
        settings ??= new PersistenceSettings();
        if (settings.MaxConcurrentRecoveries < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(settings), "MaxConcurrentRecoveries must be at least 1");
        }

        var installed = system.GetOrAddExtension(_ => new Persistence(store, settings));
        if (!ReferenceEquals(installed.Store, store))
        {
            throw new InvalidOperationException($"Persistence is already installed on actor system {system.Name} with another store.");
        }

        return installed;
    }

    public static Persistence Get(ActorSystem system) =>
        system.GetOrAddExtension<Persistence>(_ => throw new InvalidOperationException(
            $"No persistence store is installed on actor system {system.Name}: call Persistence.Install(system, store) before starting persistent actors."));
}
