namespace HueyP.MarketData.Synthetic;

/// <summary>
/// One instrument of the synthetic market. Prices are quoted to <see cref="Digits"/> decimals (a point is a tenth of a
/// pip, as MT4 brokers quote).
/// </summary>
/// <param name="TypicalSpreadPips">Spread in a calm London session.</param>
/// <param name="TickVolatilityPips">Standard deviation of one tick's mid move in a calm regime.</param>
/// <param name="Activity">Relative share of the market's ticks.</param>
public sealed record SyntheticSymbol(
    string Name, double StartPrice, int Digits, double TypicalSpreadPips, double TickVolatilityPips, double Activity)
{
    public double PointSize => 1.0 / PointsPerUnit;
    public double PipSize => 10.0 / PointsPerUnit;

    /// <summary>Exact integer scale: a price is always points / PointsPerUnit, so text and memory agree to the bit.</summary>
    public long PointsPerUnit => Digits switch
    {
        3 => 1_000,
        5 => 100_000,
        _ => (long)Math.Pow(10, Digits),
    };

    /// <summary>The 7 majors and 21 crosses of the 8 major currencies, priced roughly as in early 2025.</summary>
    public static IReadOnlyList<SyntheticSymbol> Majors28 { get; } =
    [
        new("EURUSD", 1.08500, 5, 0.6, 0.25, 10),
        new("GBPUSD", 1.27000, 5, 0.9, 0.30, 8),
        new("USDJPY", 150.000, 3, 0.7, 0.30, 9),
        new("USDCHF", 0.88000, 5, 1.1, 0.25, 4),
        new("AUDUSD", 0.66000, 5, 0.8, 0.22, 6),
        new("USDCAD", 1.36000, 5, 1.0, 0.25, 5),
        new("NZDUSD", 0.61000, 5, 1.2, 0.22, 3),
        new("EURGBP", 0.85500, 5, 1.0, 0.18, 4),
        new("EURJPY", 162.700, 3, 1.2, 0.35, 5),
        new("EURCHF", 0.95500, 5, 1.5, 0.18, 2),
        new("EURAUD", 1.64500, 5, 1.8, 0.35, 2),
        new("EURCAD", 1.47500, 5, 1.8, 0.30, 2),
        new("EURNZD", 1.78000, 5, 2.5, 0.40, 1),
        new("GBPJPY", 190.500, 3, 1.8, 0.50, 4),
        new("GBPCHF", 1.11800, 5, 2.0, 0.35, 1),
        new("GBPAUD", 1.92500, 5, 2.5, 0.45, 1),
        new("GBPCAD", 1.72700, 5, 2.5, 0.40, 1),
        new("GBPNZD", 2.08200, 5, 3.5, 0.55, 1),
        new("AUDJPY", 99.000, 3, 1.5, 0.30, 3),
        new("AUDCHF", 0.58100, 5, 2.0, 0.20, 1),
        new("AUDCAD", 0.89800, 5, 2.0, 0.22, 1),
        new("AUDNZD", 1.08200, 5, 2.0, 0.20, 1),
        new("NZDJPY", 91.500, 3, 2.0, 0.30, 1),
        new("NZDCHF", 0.53700, 5, 2.5, 0.20, 1),
        new("NZDCAD", 0.83000, 5, 2.5, 0.22, 1),
        new("CADJPY", 110.300, 3, 2.0, 0.30, 1),
        new("CADCHF", 0.64700, 5, 2.5, 0.20, 1),
        new("CHFJPY", 170.500, 3, 2.5, 0.35, 1),
    ];
}
