namespace HueyP.MarketData.Synthetic;

/// <summary>The synthetic market: which symbols, from when, how busy, and how its regimes behave.</summary>
public sealed record SyntheticMarketOptions
{
    /// <summary>Same seed, same options → the same quotes, bit for bit, on any machine.</summary>
    public ulong Seed { get; init; } = 1;

    public IReadOnlyList<SyntheticSymbol> Symbols { get; init; } = SyntheticSymbol.Majors28;

    /// <summary>Data-clock start; the default is a Monday 00:00 UTC (Asian session).</summary>
    public DateTime StartUtc { get; init; } = new(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Stop after this many quotes; null for no limit.</summary>
    public long? MaxQuotes { get; init; }

    /// <summary>Stop at this data-clock time; null for no limit.</summary>
    public DateTime? EndUtc { get; init; }

    /// <summary>Mean quotes per second across all symbols in the London session; other sessions scale it.</summary>
    public double TicksPerSecond { get; init; } = 40;

    public RegimeProfile Calm { get; init; } = new(VolatilityMultiplier: 1.0, SpreadMultiplier: 1.0, DriftPerTick: 0,
        JumpProbability: 0, LeaveProbabilityPerTick: 0.0005);

    public RegimeProfile Trending { get; init; } = new(VolatilityMultiplier: 1.3, SpreadMultiplier: 1.2, DriftPerTick: 0.15,
        JumpProbability: 0, LeaveProbabilityPerTick: 0.001);

    public RegimeProfile Volatile { get; init; } = new(VolatilityMultiplier: 3.0, SpreadMultiplier: 2.5, DriftPerTick: 0,
        JumpProbability: 0.002, LeaveProbabilityPerTick: 0.002);

    public RegimeProfile ProfileOf(MarketRegime regime) => regime switch
    {
        MarketRegime.Calm => Calm,
        MarketRegime.Trending => Trending,
        _ => Volatile,
    };

    public void Validate()
    {
        if (Symbols.Count == 0)
            throw new ArgumentException("The synthetic market needs at least one symbol.", nameof(Symbols));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TicksPerSecond);
        if (StartUtc.Kind != DateTimeKind.Utc)
            throw new ArgumentException("StartUtc must be UTC.", nameof(StartUtc));
        foreach (var symbol in Symbols)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbol.StartPrice);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbol.Activity);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(symbol.TypicalSpreadPips);
            ArgumentOutOfRangeException.ThrowIfNegative(symbol.Digits);
        }
    }
}
