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

    /// <summary>
    /// Crashes the actor at <paramref name="target"/>; a target ending in <c>/*</c> crashes one of that actor's children,
    /// drawn with <paramref name="random"/> from the stably ordered children (entities of a region, agents...).
    /// Returns the path crashed, or null when nothing lives there (a region with no entity yet).
    /// </summary>
    public string? CrashTarget(string target, Random random)
    {
        var victim = ResolveTarget(target, random);
        return victim is not null && Crash(victim) ? victim.Path.ToString() : null;
    }

    /// <summary>
    /// Like <see cref="CrashTarget"/>, but first lets the victim take every message already sent to it (an Identify
    /// round trip: its mailbox is FIFO), so the crash finds the most state held in memory rather than in the mailbox —
    /// the hardest moment to lose nothing.
    /// </summary>
    public async Task<string?> CrashTargetSettledAsync(string target, Random random, TimeSpan timeout)
    {
        var victim = ResolveTarget(target, random);
        if (victim is null) return null;
        try
        {
            await victim.Ask<ActorIdentity>(new Identify(null), timeout).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            // A victim busy past the timeout is crashed anyway: still a crash with messages in flight.
        }
        return Crash(victim) ? victim.Path.ToString() : null;
    }

    private IActorRef? ResolveTarget(string target, Random random)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(random);
        if (!target.EndsWith("/*", StringComparison.Ordinal))
            return system.ActorSelection(target).Resolve().FirstOrDefault();
        var parent = target[..^2];
        var children = system.Diagnostics.Descendants(parent).Where(c => c.Path.Parent?.ToStringWithoutAddress() == parent).ToList();
        return children.Count == 0 ? null : children[random.Next(children.Count)];
    }
}

public sealed class ChaosException(string target) : Exception($"Chaos crash injected into {target}");

/// <summary>One planned crash: when a run reaches <see cref="Step"/> (a slice barrier, a message count...), crash <see cref="Target"/>.</summary>
public sealed record ChaosPoint(int Step, string Target);

/// <summary>
/// Seeded crash schedules for chaos suites that run real workloads (a replay) instead of virtual time: the same seed
/// gives the same points, so a failing run is replayed exactly by its seed.
/// </summary>
public static class ChaosPlan
{
    /// <summary>
    /// <paramref name="crashesPerTarget"/> crashes of every target, each at a step drawn in [<paramref name="firstStep"/>,
    /// <paramref name="steps"/>); ordered by step, then by target order.
    /// </summary>
    public static IReadOnlyList<ChaosPoint> Spread(int seed, IReadOnlyList<string> targets, int crashesPerTarget, int steps, int firstStep = 1)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (crashesPerTarget < 0) throw new ArgumentOutOfRangeException(nameof(crashesPerTarget));
        if (steps <= firstStep) throw new ArgumentOutOfRangeException(nameof(steps), $"needs more than {firstStep} steps");
        var random = new Random(seed);
        var points = new List<(ChaosPoint Point, int Order)>();
        for (var t = 0; t < targets.Count; t++)
            for (var i = 0; i < crashesPerTarget; i++)
                points.Add((new ChaosPoint(random.Next(firstStep, steps), targets[t]), t));
        return points.OrderBy(p => p.Point.Step).ThenBy(p => p.Order).Select(p => p.Point).ToList();
    }
}
