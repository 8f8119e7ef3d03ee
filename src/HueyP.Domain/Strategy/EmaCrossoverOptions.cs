using System.Globalization;
using HueyP.Domain.Bars;

namespace HueyP.Domain.Strategy;

/// <summary>Parameters of <see cref="EmaCrossoverStrategy"/>; keys are under <c>hueyp.strategy.ema_crossover</c>.</summary>
public sealed record EmaCrossoverOptions
{
    public const string KeyPrefix = "hueyp.strategy.ema_crossover";

    public string Name { get; init; } = "ema-crossover-rsi";
    public Timeframe Timeframe { get; init; } = Timeframe.M15;
    public int FastPeriod { get; init; } = 12;
    public int SlowPeriod { get; init; } = 26;
    public int RsiPeriod { get; init; } = 14;
    /// <summary>No long entries at or above this RSI.</summary>
    public double RsiOverbought { get; init; } = 70;
    /// <summary>No short entries at or below this RSI.</summary>
    public double RsiOversold { get; init; } = 30;
    public int AtrPeriod { get; init; } = 14;
    public double StopLossAtrMultiple { get; init; } = 1.5;
    public double TakeProfitAtrMultiple { get; init; } = 3.0;

    public static EmaCrossoverOptions Default { get; } = new();

    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new OptionErrors();
        errors.Require(!string.IsNullOrWhiteSpace(Name), $"{KeyPrefix}.name", Name ?? "", "must not be empty");
        errors.Require(Enum.IsDefined(Timeframe), $"{KeyPrefix}.timeframe", Timeframe.ToString(), "must be one of M1, M5, M15, M30, H1, H4, D1");
        errors.InRange($"{KeyPrefix}.fast_period", FastPeriod, 1, 1000);
        errors.InRange($"{KeyPrefix}.slow_period", SlowPeriod, 2, 1000);
        errors.Require(FastPeriod < SlowPeriod, $"{KeyPrefix}.fast_period", FastPeriod.ToString(CultureInfo.InvariantCulture),
            $"must be less than slow_period ({SlowPeriod})");
        errors.InRange($"{KeyPrefix}.rsi_period", RsiPeriod, 1, 1000);
        // The limits sit either side of the neutral 50 (confidence measures the room between 50 and the limit).
        errors.InRange($"{KeyPrefix}.rsi_oversold", RsiOversold, 1, 49);
        errors.InRange($"{KeyPrefix}.rsi_overbought", RsiOverbought, 51, 100);
        errors.InRange($"{KeyPrefix}.atr_period", AtrPeriod, 1, 1000);
        errors.InRange($"{KeyPrefix}.stop_loss_atr_multiple", StopLossAtrMultiple, 0.1, 50);
        errors.InRange($"{KeyPrefix}.take_profit_atr_multiple", TakeProfitAtrMultiple, 0.1, 100);
        return errors.Errors;
    }
}
