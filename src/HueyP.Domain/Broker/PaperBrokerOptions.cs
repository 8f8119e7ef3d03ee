using System.Collections.Immutable;

namespace HueyP.Domain.Broker;

public enum SlippageUnit { Pips, Fraction }

/// <summary>A tradable symbol at the paper broker; <see cref="PipSize"/> turns pip slippage into price.</summary>
public sealed record PaperSymbol(string Symbol, decimal PipSize);

/// <summary>
/// The FX week: closed from Friday <see cref="CloseFridayUtc"/> to Sunday <see cref="OpenSundayUtc"/> (UTC).
/// </summary>
public sealed record MarketHours(TimeSpan CloseFridayUtc, TimeSpan OpenSundayUtc, bool AlwaysOpen = false)
{
    public static MarketHours Fx { get; } = new(TimeSpan.FromHours(22), TimeSpan.FromHours(22));

    public static MarketHours Continuous { get; } = new(TimeSpan.Zero, TimeSpan.Zero, AlwaysOpen: true);

    public bool IsOpen(DateTime timeUtc) => AlwaysOpen || timeUtc.DayOfWeek switch
    {
        DayOfWeek.Friday => timeUtc.TimeOfDay < CloseFridayUtc,
        DayOfWeek.Saturday => false,
        DayOfWeek.Sunday => timeUtc.TimeOfDay >= OpenSundayUtc,
        _ => true,
    };
}

/// <summary>
/// Paper broker configuration. Slippage is always adverse and applies to orders that take liquidity (market orders
/// and triggered stops, including stop-loss children); limit orders fill at their limit or better, never worse.
/// Fill prices are rounded half-to-even to 8 decimal places. Partial fills happen with
/// <see cref="PartialFillProbability"/> per fill opportunity, sized in multiples of <see cref="LotStep"/>, drawn from
/// a SplitMix64 generator seeded with <see cref="Seed"/>: the same seed and quotes give the same fills.
/// </summary>
public sealed record PaperBrokerOptions(
    ImmutableArray<PaperSymbol> Symbols,
    decimal Slippage = 0m,
    SlippageUnit SlippageUnit = SlippageUnit.Pips,
    decimal Leverage = 30m,
    decimal CommissionPerMillion = 0m,
    double PartialFillProbability = 0d,
    decimal LotStep = 1_000m,
    ulong Seed = 42,
    MarketHours? Hours = null)
{
    public MarketHours EffectiveHours => Hours ?? MarketHours.Fx;

    public PaperSymbol? Find(string symbol) =>
        Symbols.FirstOrDefault(s => string.Equals(s.Symbol, symbol, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Symbols.IsDefaultOrEmpty) errors.Add("at least one symbol is required");
        else if (Symbols.Any(s => s.PipSize <= 0)) errors.Add("every symbol needs a positive pip size");
        if (Slippage < 0) errors.Add($"slippage must not be negative, got {Slippage}");
        if (SlippageUnit == SlippageUnit.Fraction && Slippage >= 1) errors.Add("fractional slippage must be below 1");
        if (Leverage < 1) errors.Add($"leverage must be at least 1, got {Leverage}");
        if (CommissionPerMillion < 0) errors.Add("commission must not be negative");
        if (double.IsNaN(PartialFillProbability) || PartialFillProbability is < 0 or > 1) errors.Add("partial fill probability must be in [0, 1]");
        if (LotStep <= 0) errors.Add("lot step must be positive");
        return errors;
    }
}
