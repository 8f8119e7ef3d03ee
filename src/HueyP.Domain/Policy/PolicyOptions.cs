using HueyP.Domain.Strategy;

namespace HueyP.Domain.Policy;

public enum PairCorrelationAction { Block, Scale }

/// <summary>Thresholds of the deterministic policy gate; keys under <c>hueyp.policy</c>.</summary>
public sealed record PolicyOptions
{
    public const string KeyPrefix = "hueyp.policy";

    public IReadOnlyList<string> AllowedSymbols { get; init; } = [];
    public double MaxDataAgeSeconds { get; init; } = 30;
    /// <summary>REJECT at or above this daily drawdown.</summary>
    public double MaxDailyDrawdownPct { get; init; } = 3.0;
    public double MinLiquidityScore { get; init; } = 0.7;
    public double MinConfidence { get; init; } = 0.6;
    /// <summary>REVIEW when the portfolio correlation exceeds this.</summary>
    public double ReviewPortfolioCorrelation { get; init; } = 0.35;
    /// <summary>|ρ| with any open position at or above this blocks or scales the trade.</summary>
    public double PairCorrelationLimit { get; init; } = 0.8;
    public PairCorrelationAction PairCorrelationAction { get; init; } = PairCorrelationAction.Block;
    /// <summary>Size multiplier when <see cref="PairCorrelationAction"/> is Scale.</summary>
    public double PairCorrelationScale { get; init; } = 0.5;

    public IReadOnlyList<OptionError> Validate()
    {
        var e = new OptionErrors();
        e.Require(AllowedSymbols is { Count: > 0 } && AllowedSymbols.All(s => !string.IsNullOrWhiteSpace(s)),
            $"{KeyPrefix}.allowed_symbols", AllowedSymbols is null ? "null" : "[" + string.Join(",", AllowedSymbols) + "]",
            "must list at least one symbol, none empty");
        e.InRange($"{KeyPrefix}.max_data_age_s", MaxDataAgeSeconds, 0, 3600);
        e.InRange($"{KeyPrefix}.max_daily_drawdown_pct", MaxDailyDrawdownPct, 0, 100);
        e.InRange($"{KeyPrefix}.min_liquidity_score", MinLiquidityScore, 0, 1);
        e.InRange($"{KeyPrefix}.min_confidence", MinConfidence, 0, 1);
        e.InRange($"{KeyPrefix}.review_portfolio_correlation", ReviewPortfolioCorrelation, 0, 1);
        e.InRange($"{KeyPrefix}.pair_correlation_limit", PairCorrelationLimit, 0, 1);
        e.Require(ReviewPortfolioCorrelation < PairCorrelationLimit, $"{KeyPrefix}.review_portfolio_correlation",
            OptionError.Format(ReviewPortfolioCorrelation), $"must be less than pair_correlation_limit ({OptionError.Format(PairCorrelationLimit)})");
        e.Require(Enum.IsDefined(PairCorrelationAction), $"{KeyPrefix}.pair_correlation_action", PairCorrelationAction.ToString(), "must be block or scale");
        e.InRange($"{KeyPrefix}.pair_correlation_scale", PairCorrelationScale, 0.01, 1);
        return e.Errors;
    }
}
