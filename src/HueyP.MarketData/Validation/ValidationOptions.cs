namespace HueyP.MarketData.Validation;

/// <summary>How a reader treats bad rows.</summary>
public sealed record ValidationOptions
{
    /// <summary>Fail the read at the first bad row (the <c>--strict</c> switch) instead of skipping and counting it.</summary>
    public bool Strict { get; init; }

    /// <summary>How many file:line examples the report keeps per reject reason.</summary>
    public int MaxExamplesPerReason { get; init; } = 5;

    public BreakerOptions Breaker { get; init; } = new();

    public static ValidationOptions Lenient { get; } = new();
    public static ValidationOptions StrictMode { get; } = new() { Strict = true };
}

/// <summary>
/// When a symbol's data is too dirty to trust. Counted in rows, not seconds, so a replay trips at the same row every time.
/// </summary>
public sealed record BreakerOptions
{
    /// <summary>This many rejects ...</summary>
    public int RejectsToTrip { get; init; } = 5;

    /// <summary>... within this many consecutive rows of one symbol trip the breaker.</summary>
    public int WindowRows { get; init; } = 100;

    /// <summary>An open breaker re-closes after this many clean rows in a row.</summary>
    public int CleanRowsToClose { get; init; } = 500;

    /// <summary>
    /// Whether an open breaker withholds even the valid quotes of its symbol. On by default: between bad rows of a
    /// burst the good-looking ones are suspect too, and a strategy should not trade on them.
    /// </summary>
    public bool WithholdQuotesWhileOpen { get; init; } = true;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(RejectsToTrip, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowRows, RejectsToTrip);
        ArgumentOutOfRangeException.ThrowIfLessThan(CleanRowsToClose, 1);
    }
}
