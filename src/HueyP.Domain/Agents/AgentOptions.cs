using HueyP.Domain.Strategy;

namespace HueyP.Domain.Agents;

/// <summary>Thresholds and consensus weights of the agents; keys under <c>hueyp.agents</c>.</summary>
public sealed record AgentOptions
{
    public const string KeyPrefix = "hueyp.agents";

    public double RiskWeight { get; init; } = 1.5;
    public double MarketWeight { get; init; } = 1.0;
    public double ExecutionWeight { get; init; } = 1.0;
    public double SystemWeight { get; init; } = 1.0;
    public double ComplianceWeight { get; init; } = 1.2;

    public double CautionDrawdownPct { get; init; } = 2.0;
    public double HoldDrawdownPct { get; init; } = 3.0;
    public double EmergencyDrawdownPct { get; init; } = 4.0;
    public int MaxOpenPositions { get; init; } = 10;
    public double CautionPortfolioCorrelation { get; init; } = 0.35;

    public double MaxSpreadPips { get; init; } = 3.0;
    public double MaxDataAgeSeconds { get; init; } = 30;
    public double MinLiquidityScore { get; init; } = 0.7;

    public double CautionLatencyMs { get; init; } = 500;
    public double HoldLatencyMs { get; init; } = 2000;
    public double CautionRejectRate { get; init; } = 0.1;

    public double CautionErrorRate { get; init; } = 0.05;
    public double HoldErrorRate { get; init; } = 0.2;
    public double CautionDecisionLagMs { get; init; } = 250;

    public static AgentOptions Default { get; } = new();

    public IReadOnlyList<OptionError> Validate()
    {
        var e = new OptionErrors();
        e.InRange($"{KeyPrefix}.weights.risk", RiskWeight, 0, 10);
        e.InRange($"{KeyPrefix}.weights.market", MarketWeight, 0, 10);
        e.InRange($"{KeyPrefix}.weights.execution", ExecutionWeight, 0, 10);
        e.InRange($"{KeyPrefix}.weights.system", SystemWeight, 0, 10);
        e.InRange($"{KeyPrefix}.weights.compliance", ComplianceWeight, 0, 10);
        e.InRange($"{KeyPrefix}.risk.caution_drawdown_pct", CautionDrawdownPct, 0, 100);
        e.InRange($"{KeyPrefix}.risk.hold_drawdown_pct", HoldDrawdownPct, 0, 100);
        e.InRange($"{KeyPrefix}.risk.emergency_drawdown_pct", EmergencyDrawdownPct, 0, 100);
        e.Require(CautionDrawdownPct <= HoldDrawdownPct && HoldDrawdownPct <= EmergencyDrawdownPct,
            $"{KeyPrefix}.risk.hold_drawdown_pct", OptionError.Format(HoldDrawdownPct),
            $"must lie between caution_drawdown_pct ({OptionError.Format(CautionDrawdownPct)}) and emergency_drawdown_pct ({OptionError.Format(EmergencyDrawdownPct)})");
        e.InRange($"{KeyPrefix}.risk.max_open_positions", MaxOpenPositions, 1, 10_000);
        e.InRange($"{KeyPrefix}.risk.caution_portfolio_correlation", CautionPortfolioCorrelation, 0, 1);
        e.InRange($"{KeyPrefix}.market.max_spread_pips", MaxSpreadPips, 0, 1000);
        e.InRange($"{KeyPrefix}.market.max_data_age_s", MaxDataAgeSeconds, 0, 3600);
        e.InRange($"{KeyPrefix}.market.min_liquidity_score", MinLiquidityScore, 0, 1);
        e.InRange($"{KeyPrefix}.execution.caution_latency_ms", CautionLatencyMs, 0, 60_000);
        e.InRange($"{KeyPrefix}.execution.hold_latency_ms", HoldLatencyMs, 0, 60_000);
        e.Require(CautionLatencyMs <= HoldLatencyMs, $"{KeyPrefix}.execution.caution_latency_ms", OptionError.Format(CautionLatencyMs),
            $"must not exceed hold_latency_ms ({OptionError.Format(HoldLatencyMs)})");
        e.InRange($"{KeyPrefix}.execution.caution_reject_rate", CautionRejectRate, 0, 1);
        e.InRange($"{KeyPrefix}.system.caution_error_rate", CautionErrorRate, 0, 1);
        e.InRange($"{KeyPrefix}.system.hold_error_rate", HoldErrorRate, 0, 1);
        e.Require(CautionErrorRate <= HoldErrorRate, $"{KeyPrefix}.system.caution_error_rate", OptionError.Format(CautionErrorRate),
            $"must not exceed hold_error_rate ({OptionError.Format(HoldErrorRate)})");
        e.InRange($"{KeyPrefix}.system.caution_decision_lag_ms", CautionDecisionLagMs, 0, 60_000);
        return e.Errors;
    }
}
