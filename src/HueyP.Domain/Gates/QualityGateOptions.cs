using HueyP.Domain.Constraints;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Gates;

/// <summary>Weights and thresholds of the quality gates; keys under <c>hueyp.gates</c>.</summary>
public sealed record QualityGateOptions
{
    public const string KeyPrefix = "hueyp.gates";

    public double RiskManagementWeight { get; init; } = 1.5;
    public double BrokerConnectivityWeight { get; init; } = 1.2;
    public double MarketQualityWeight { get; init; } = 1.0;
    public double SystemHealthWeight { get; init; } = 1.0;
    /// <summary>A gate with a failed critical constraint scores at most this.</summary>
    public double CriticalCap { get; init; } = 40;
    public double ApproveThreshold { get; init; } = 80;
    public double HighVolatilityApproveThreshold { get; init; } = 85;
    /// <summary>
    /// With the four weights, one gate capped at 40 still leaves the weighted mean near 85, so a disconnected broker
    /// alone would not stop trading. True (the default) refuses approval on any failed critical constraint;
    /// false applies the weighted threshold only.
    /// </summary>
    public bool BlockOnCriticalViolation { get; init; } = true;
    /// <summary>How much a constraint of each severity counts within its gate's score.</summary>
    public double InfoPoints { get; init; } = 1;
    public double WarningPoints { get; init; } = 2;
    public double CriticalPoints { get; init; } = 3;

    public static QualityGateOptions Default { get; } = new();

    public double Weight(ConstraintType type) => type switch
    {
        ConstraintType.RiskManagement => RiskManagementWeight,
        ConstraintType.BrokerConnectivity => BrokerConnectivityWeight,
        ConstraintType.MarketQuality => MarketQualityWeight,
        _ => SystemHealthWeight,
    };

    public double Points(Severity severity) => severity switch
    {
        Severity.Critical => CriticalPoints,
        Severity.Warning => WarningPoints,
        _ => InfoPoints,
    };

    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new OptionErrors();
        errors.InRange($"{KeyPrefix}.weights.risk_management", RiskManagementWeight, 0.01, 10);
        errors.InRange($"{KeyPrefix}.weights.broker_connectivity", BrokerConnectivityWeight, 0.01, 10);
        errors.InRange($"{KeyPrefix}.weights.market_quality", MarketQualityWeight, 0.01, 10);
        errors.InRange($"{KeyPrefix}.weights.system_health", SystemHealthWeight, 0.01, 10);
        errors.InRange($"{KeyPrefix}.critical_cap", CriticalCap, 0, 100);
        errors.InRange($"{KeyPrefix}.approve_threshold", ApproveThreshold, 0, 100);
        errors.InRange($"{KeyPrefix}.high_volatility_approve_threshold", HighVolatilityApproveThreshold, 0, 100);
        errors.Require(HighVolatilityApproveThreshold >= ApproveThreshold, $"{KeyPrefix}.high_volatility_approve_threshold",
            OptionError.Format(HighVolatilityApproveThreshold), $"must be at least approve_threshold ({OptionError.Format(ApproveThreshold)})");
        errors.InRange($"{KeyPrefix}.points.info", InfoPoints, 0.01, 100);
        errors.InRange($"{KeyPrefix}.points.warning", WarningPoints, 0.01, 100);
        errors.InRange($"{KeyPrefix}.points.critical", CriticalPoints, 0.01, 100);
        return errors.Errors;
    }
}
