namespace HueyP.Persistence.Journal;

/// <summary>
/// The most recent <see cref="Size"/> latencies in a lock-free ring: writers take a slot with one interlocked
/// increment; a reader copies the ring and sorts the copy. A slot taken but not yet written reads as its previous
/// value, which can only blur one sample of a p99, never block a writer.
/// </summary>
public sealed class LatencyWindow
{
    public const int Size = 1024;
    private readonly double[] _ms = new double[Size];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(double milliseconds)
    {
        if (!double.IsFinite(milliseconds)) return;
        var slot = (Interlocked.Increment(ref _count) - 1) & (Size - 1);
        Volatile.Write(ref _ms[slot], Math.Max(0, milliseconds));
    }

    /// <summary>Nearest-rank percentile over the window (a latency some sample really had); null before the first.</summary>
    public double? Percentile(double q)
    {
        var n = (int)Math.Min(Count, Size);
        if (n == 0) return null;
        var copy = new double[n];
        Array.Copy(_ms, copy, n);
        Array.Sort(copy);
        return copy[Math.Clamp((int)Math.Ceiling(q * n) - 1, 0, n - 1)];
    }
}
