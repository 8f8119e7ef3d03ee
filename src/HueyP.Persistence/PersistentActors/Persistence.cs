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

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _lastWrites = new(StringComparer.Ordinal);

    /// <summary>Remembers the newest journal write of a stream until it completes, so a recovery can wait for it.</summary>
    internal void TrackWrite(string persistenceId, Task write)
    {
        _lastWrites[persistenceId] = write;
        write.ContinueWith(
            done => _lastWrites.TryRemove(new KeyValuePair<string, Task>(persistenceId, done)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The write a restarted incarnation must not overtake (completed when there is none).</summary>
    internal Task LastWrite(string persistenceId) => _lastWrites.TryGetValue(persistenceId, out var write) ? write : Task.CompletedTask;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RecoverySeed> _seeds = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SeedReport> _seedReports = new(StringComparer.Ordinal);

    /// <summary>
    /// Offers in-memory snapshots to the next recovery of each seed's persistence id (see <see cref="RecoverySeed"/>);
    /// replaces every seed offered before and forgets the reports of earlier offers. A seed is taken by the first
    /// incarnation that starts recovering after this call, and only by it; a recovery uses it only when it is newer than
    /// the stored snapshot and the journal holds at least as many events as it folded.
    /// </summary>
    public void OfferSeeds(IEnumerable<RecoverySeed> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        _seeds.Clear();
        _seedReports.Clear();
        foreach (var seed in seeds)
        {
            if (seed.SequenceNr < 1) throw new ArgumentOutOfRangeException(nameof(seeds), $"{seed.PersistenceId}: a seed must have folded at least one event (sequence nr {seed.SequenceNr})");
            ArgumentNullException.ThrowIfNull(seed.Snapshot);
            _seeds[seed.PersistenceId] = seed;
        }
    }

    /// <summary>Drops the seeds no recovery has taken (the term they were offered for ended).</summary>
    public void WithdrawSeeds()
    {
        _seeds.Clear();
        _projectionSeeds.Clear();
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ProjectionSeed> _projectionSeeds = new(StringComparer.Ordinal);

    /// <summary>
    /// Offers a fold over all events (see <see cref="ProjectionSeed"/>) to the next start of the projection named
    /// <see cref="ProjectionSeed.Name"/>; replaces an earlier offer of the same name. Withdrawn with the recovery seeds.
    /// </summary>
    public void OfferProjectionSeed(ProjectionSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(seed.State);
        if (seed.Offset < 0) throw new ArgumentOutOfRangeException(nameof(seed), $"{seed.Name}: a projection seed's offset cannot be negative ({seed.Offset})");
        _projectionSeeds[seed.Name] = seed;
    }

    /// <summary>The projection seed offered under <paramref name="name"/>, taken once; null when none was offered.</summary>
    public ProjectionSeed? TakeProjectionSeed(string name) => _projectionSeeds.TryRemove(name, out var seed) ? seed : null;

    /// <summary>Seeds offered and not yet taken, by persistence id.</summary>
    public IReadOnlyCollection<string> PendingSeeds => [.. _seeds.Keys];

    /// <summary>What each recovery that took a seed of the latest offer did with it.</summary>
    public IReadOnlyList<SeedReport> SeedReports => [.. _seedReports.Values.OrderBy(r => r.PersistenceId, StringComparer.Ordinal)];

    internal RecoverySeed? TakeSeed(string persistenceId) => _seeds.TryRemove(persistenceId, out var seed) ? seed : null;

    internal void Report(SeedReport report) => _seedReports[report.PersistenceId] = report;

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

    /// <summary>The installed extension, or null when the system has no store (a decisions-only replay).</summary>
    public static Persistence? TryGet(ActorSystem system)
    {
        try
        {
            return Get(system);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static Persistence Get(ActorSystem system) =>
        system.GetOrAddExtension<Persistence>(_ => throw new InvalidOperationException(
            $"No persistence store is installed on actor system {system.Name}: call Persistence.Install(system, store) before starting persistent actors."));
}
