namespace HueyP.Actors.TestKit;

/// <summary>What a chaos run did; the seed replays the same choices on the same tree.</summary>
public sealed record ChaosReport(int Seed, IReadOnlyList<string> CrashedPaths);

/// <summary>Injects failures exactly as real handler exceptions (handled by the supervisor).</summary>
public sealed class ChaosMonkey(ActorSystem system, TestScheduler? virtualTime)
{
    public bool Crash(IActorRef actor, Exception? exception = null) =>
        system.Diagnostics.Crash(actor, exception ?? new ChaosException(actor.Path.ToString()));

    public bool Crash(string path, Exception? exception = null) =>
        system.Diagnostics.Crash(path, exception ?? new ChaosException(path));

    /// <summary>
    /// Crashes random actors under <paramref name="subtreePath"/> at <paramref name="crashesPerSecond"/>
    /// for <paramref name="duration"/>. With virtual time the clock is advanced between crashes; otherwise
    /// it waits in real time (keep the duration short).
    /// </summary>
    public ChaosReport Run(string subtreePath, double crashesPerSecond, TimeSpan duration, int seed,
        Func<Random, IActorRef, Exception>? exceptionFactory = null)
    {
        if (crashesPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(crashesPerSecond));
        var random = new Random(seed);
        var interval = TimeSpan.FromSeconds(1 / crashesPerSecond);
        var steps = (int)Math.Floor(duration.TotalSeconds * crashesPerSecond);
        var crashed = new List<string>(steps);
        using var pause = new ManualResetEventSlim(false);
        for (var step = 0; step < steps; step++)
        {
            var candidates = system.Diagnostics.Descendants(subtreePath);
            if (candidates.Count > 0)
            {
                var victim = candidates[random.Next(candidates.Count)];
                var exception = exceptionFactory?.Invoke(random, victim) ?? new ChaosException(victim.Path.ToString());
                if (Crash(victim, exception)) crashed.Add(victim.Path.ToString());
            }
            if (virtualTime is not null) virtualTime.Advance(interval);
            else pause.Wait(interval);
        }
        return new ChaosReport(seed, crashed);
    }
}

public sealed class ChaosException(string target) : Exception($"Chaos crash injected into {target}");
