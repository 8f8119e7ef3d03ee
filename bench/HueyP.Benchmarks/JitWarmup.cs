using System.Diagnostics;

namespace HueyP.Benchmarks;

/// <summary>
/// Warm-up until steady state, as BenchmarkDotNet warms up: tiered compilation re-compiles hot methods in the
/// background for seconds after they are first called (call counting starts after a quiet spell, a compile lands some
/// rounds later), so a run measured before that ends measures unoptimised code and the compiles themselves.
/// </summary>
public static class JitWarmup
{
    /// <summary>
    /// Runs <paramref name="round"/> until one adds almost nothing to the methods the JIT has compiled (tier-up
    /// included), for at least <paramref name="atLeast"/> and at most a minute; returns how many rounds ran.
    /// </summary>
    public static async Task<int> UntilSettledAsync(TimeSpan atLeast, Func<Task> round)
    {
        var clock = Stopwatch.StartNew();
        for (var rounds = 1; ; rounds++)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await round();
            var added = System.Runtime.JitInfo.GetCompiledMethodCount() - compiled;
            if ((clock.Elapsed >= atLeast && added <= 2) || clock.Elapsed > TimeSpan.FromMinutes(1)) return rounds;
        }
    }
}
