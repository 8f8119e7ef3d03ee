namespace HueyP.Domain.Performance;

/// <summary>
/// Pairwise summation exactly as numpy's reduction does it (8 running partial sums per block of up to 128, halves
/// combined recursively). Matching the reference's rounding matters at the edges: a constant return series must
/// have a standard deviation of exactly 0 so its Sharpe ratio is +∞ as in the reference, not 10^16.
/// </summary>
internal static class NumpySum
{
    private const int BlockSize = 128;

    public static double Sum(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < 8)
        {
            var res = 0.0;   // numpy starts from -0.0 and adds; identical for every non-empty input here
            for (var i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            for (var j = 0; j < 8; j++) r[j] = a[j];
            var i = 8;
            for (; i < n - n % 8; i += 8)
                for (var j = 0; j < 8; j++) r[j] += a[i + j];
            var res = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        var half = n / 2;
        half -= half % 8;
        return Sum(a[..half]) + Sum(a[half..]);
    }
}
