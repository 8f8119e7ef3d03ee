namespace HueyP.Domain.PreTrade;

/// <summary>Limits for the last checks before an order leaves the engine. Windows are one minute, sliding.</summary>
public sealed record PreTradeOptions(
    decimal MaxOrderUnits,
    decimal MaxOrderNotional,
    decimal PriceCollarPercent,
    int MaxOrdersPerMinute,
    int MaxOrdersPerMinutePerSymbol,
    int MaxCancelsPerMinute,
    int MaxCancelsWithoutFill,
    int CancelLoopBlockBars)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static PreTradeOptions Default { get; } = new(
        MaxOrderUnits: 1_000_000m, MaxOrderNotional: 2_000_000m, PriceCollarPercent: 1m,
        MaxOrdersPerMinute: 30, MaxOrdersPerMinutePerSymbol: 10, MaxCancelsPerMinute: 30,
        MaxCancelsWithoutFill: 5, CancelLoopBlockBars: 3);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxOrderUnits <= 0) errors.Add($"MaxOrderUnits must be positive, got {MaxOrderUnits}");
        if (MaxOrderNotional <= 0) errors.Add($"MaxOrderNotional must be positive, got {MaxOrderNotional}");
        if (PriceCollarPercent <= 0 || PriceCollarPercent > 100) errors.Add($"PriceCollarPercent must be in (0, 100], got {PriceCollarPercent}");
        if (MaxOrdersPerMinute < 1) errors.Add($"MaxOrdersPerMinute must be at least 1, got {MaxOrdersPerMinute}");
        if (MaxOrdersPerMinutePerSymbol < 1) errors.Add($"MaxOrdersPerMinutePerSymbol must be at least 1, got {MaxOrdersPerMinutePerSymbol}");
        if (MaxOrdersPerMinutePerSymbol > MaxOrdersPerMinute) errors.Add("MaxOrdersPerMinutePerSymbol cannot exceed MaxOrdersPerMinute");
        if (MaxCancelsPerMinute < 1) errors.Add($"MaxCancelsPerMinute must be at least 1, got {MaxCancelsPerMinute}");
        if (MaxCancelsWithoutFill < 1) errors.Add($"MaxCancelsWithoutFill must be at least 1, got {MaxCancelsWithoutFill}");
        if (CancelLoopBlockBars < 1) errors.Add($"CancelLoopBlockBars must be at least 1, got {CancelLoopBlockBars}");
        return errors;
    }
}
