namespace HueyP.Domain.Broker;

/// <summary>
/// Tiny deterministic PRNG whose whole state is one ulong, so it lives in a snapshot (System.Random's does not).
/// </summary>
public static class SplitMix64
{
    public static (double Value, ulong NextState) NextDouble(ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 11) * (1.0 / (1UL << 53)), state);
    }
}
