namespace HueyP.MarketData.Synthetic;

public enum MarketRegime
{
    Calm,
    Trending,
    Volatile,
}

/// <summary>How a regime moves prices and spreads, and how long it lasts.</summary>
/// <param name="VolatilityMultiplier">Scales the symbol's tick volatility.</param>
/// <param name="SpreadMultiplier">Scales the spread (dealers widen when prices jump).</param>
/// <param name="DriftPerTick">Mean mid move per tick in units of the tick volatility, sign chosen on entry.</param>
/// <param name="JumpProbability">Chance per tick of a 5–15 pip gap.</param>
/// <param name="LeaveProbabilityPerTick">Markov switching: chance per tick of the symbol moving to another regime.</param>
public sealed record RegimeProfile(
    double VolatilityMultiplier, double SpreadMultiplier, double DriftPerTick, double JumpProbability, double LeaveProbabilityPerTick);

/// <summary>Trading sessions by UTC hour (daylight saving ignored) and how busy and how wide each one is.</summary>
public enum TradingSession
{
    Asia,
    London,
    LondonNewYorkOverlap,
    NewYork,
    Rollover,
}
