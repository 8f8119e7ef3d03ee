using HueyP.Actors.Event;

namespace HueyP.Actors;

/// <summary>A shutdown phase: its tasks run in parallel and must finish within <see cref="Timeout"/>.</summary>
public sealed record Phase(string Name, TimeSpan Timeout, bool Recover = true);

public sealed record CoordinatedShutdownSettings(IReadOnlyList<Phase> Phases, bool TerminateActorSystem = true)
{
    public static readonly CoordinatedShutdownSettings Default = new(
    [
        new Phase(CoordinatedShutdown.PhaseStopIntake, TimeSpan.FromSeconds(10)),
        new Phase(CoordinatedShutdown.PhaseDrain, TimeSpan.FromSeconds(10)),
        new Phase(CoordinatedShutdown.PhasePersist, TimeSpan.FromSeconds(10)),
        new Phase(CoordinatedShutdown.PhaseStopActors, TimeSpan.FromSeconds(10)),
        new Phase(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, TimeSpan.FromSeconds(10)),
        new Phase(CoordinatedShutdown.PhaseActorSystemTerminate, TimeSpan.FromSeconds(10)),
    ]);
}

/// <summary>Why the shutdown ran.</summary>
public record ShutdownReason(string Description)
{
    public static readonly ShutdownReason Unknown = new("unknown");
    public static readonly ShutdownReason ActorSystemTerminate = new("actor system terminate");
    public static readonly ShutdownReason ClrExit = new("process exit");
}

/// <summary>
/// Runs registered tasks phase by phase, once, then terminates the actor system.
/// <c>ActorSystem.Terminate()</c> runs it too once it has been obtained with <see cref="Get"/>.
/// </summary>
public sealed class CoordinatedShutdown
{
    public const string PhaseStopIntake = "stop-intake";
    public const string PhaseDrain = "drain";
    public const string PhasePersist = "persist";
    public const string PhaseStopActors = "stop-actors";
    public const string PhaseBeforeActorSystemTerminate = "before-actor-system-terminate";
    public const string PhaseActorSystemTerminate = "actor-system-terminate";

    private readonly ActorSystem _system;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<(string Name, Func<Task<Done>> Task)>> _tasks = new(StringComparer.Ordinal);
    private Task<Done>? _run;

    private CoordinatedShutdown(ActorSystem system, CoordinatedShutdownSettings settings)
    {
        _system = system;
        Settings = settings;
    }

    public static CoordinatedShutdown Get(ActorSystem system, CoordinatedShutdownSettings? settings = null) =>
        system.GetOrAddExtension(s => new CoordinatedShutdown(s, settings ?? CoordinatedShutdownSettings.Default));

    public CoordinatedShutdownSettings Settings { get; }

    public IReadOnlyList<string> OrderedPhases => Settings.Phases.Select(p => p.Name).ToArray();

    public ShutdownReason? Reason { get; private set; }

    public bool HasStarted
    {
        get { lock (_lock) return _run is not null; }
    }

    public void AddTask(string phase, string taskName, Func<Task<Done>> task)
    {
        if (Settings.Phases.All(p => p.Name != phase)) throw new ArgumentException($"Unknown shutdown phase [{phase}]", nameof(phase));
        lock (_lock)
        {
            if (_run is not null)
            {
                _system.Log.Warning("Task {TaskName} added to phase {Phase} after shutdown started; ignored", taskName, phase);
                return;
            }
            if (!_tasks.TryGetValue(phase, out var list)) _tasks[phase] = list = new();
            list.Add((taskName, task));
        }
    }

    /// <summary>Starts the shutdown (only the first call does); every call returns the same task.</summary>
    public Task<Done> Run(ShutdownReason reason)
    {
        lock (_lock)
        {
            if (_run is not null) return _run;
            Reason = reason;
            _run = Task.Run(() => RunPhases(reason));
            return _run;
        }
    }

    private async Task<Done> RunPhases(ShutdownReason reason)
    {
        _system.Log.Info("Coordinated shutdown started: {Reason}", reason.Description);
        foreach (var phase in Settings.Phases)
        {
            List<(string Name, Func<Task<Done>> Task)> tasks;
            lock (_lock) tasks = _tasks.TryGetValue(phase.Name, out var list) ? list.ToList() : new();
            if (phase.Name == PhaseActorSystemTerminate && Settings.TerminateActorSystem)
                tasks.Add(("terminate-actor-system", async () =>
                {
                    await _system.TerminateNow().ConfigureAwait(false);
                    return Done.Instance;
                }));
            if (tasks.Count == 0) continue;
            var all = Task.WhenAll(tasks.Select(t => RunTask(phase, t.Name, t.Task)));
            try
            {
                await all.WaitAsync(phase.Timeout, _system.Settings.TimeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                if (!phase.Recover)
                {
                    _system.Log.Error("Shutdown phase {Phase} timed out after {Timeout}; remaining phases skipped", phase.Name, phase.Timeout);
                    throw;
                }
                _system.Log.Warning("Shutdown phase {Phase} timed out after {Timeout}; continuing", phase.Name, phase.Timeout);
            }
            catch (Exception) when (phase.Recover)
            {
                // already logged per task
            }
        }
        return Done.Instance;
    }

    private async Task RunTask(Phase phase, string name, Func<Task<Done>> task)
    {
        try
        {
            await task().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            _system.Log.Warning(exception, "Shutdown task {TaskName} in phase {Phase} failed", name, phase.Name);
            if (!phase.Recover) throw;
        }
    }
}
