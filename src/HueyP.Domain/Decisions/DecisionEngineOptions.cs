using HueyP.Domain.Agents;
using HueyP.Domain.Constraints;
using HueyP.Domain.Gates;
using HueyP.Domain.Policy;
using HueyP.Domain.Reentry;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Decisions;

/// <summary>
/// Everything that shapes a symbol's decisions. Its canonical JSON is hashed into every decision record, so two
/// records can be compared only when they were made under the same configuration.
/// </summary>
public sealed record DecisionEngineOptions
{
    public const string KeyPrefix = "hueyp.decision";

    public EmaCrossoverOptions Strategy { get; init; } = EmaCrossoverOptions.Default;
    public ReentryOptions Reentry { get; init; } = ReentryOptions.Default;
    public QualityGateOptions Gates { get; init; } = QualityGateOptions.Default;
    public AgentOptions Agents { get; init; } = AgentOptions.Default;
    public PolicyOptions Policy { get; init; } = new();
    public IReadOnlyList<ConstraintDefinition> Constraints { get; init; } = [];
    public UnknownVariablePolicy UnknownVariables { get; init; } = UnknownVariablePolicy.TreatAsViolated;
    /// <summary>Price of one pip for this symbol (0.0001 for EURUSD, 0.01 for USDJPY): spreads are judged in pips.</summary>
    public double PipSize { get; init; } = 0.0001;
    /// <summary>Lots for a full-size entry, before reentry sizing and policy scaling.</summary>
    public decimal BaseQuantity { get; init; } = 1.0m;
    /// <summary>Quantities are rounded down to a multiple of this (the broker's volume step).</summary>
    public decimal LotStep { get; init; } = 0.01m;

    public IReadOnlyList<OptionError> Validate()
    {
        var errors = new List<OptionError>();
        errors.AddRange(Strategy.Validate());
        errors.AddRange(Reentry.Validate());
        errors.AddRange(Gates.Validate());
        errors.AddRange(Agents.Validate());
        errors.AddRange(Policy.Validate());
        var own = new OptionErrors();
        own.InRange($"{KeyPrefix}.pip_size", PipSize, 1e-10, 1000);
        own.Require(BaseQuantity > 0, $"{KeyPrefix}.base_quantity", BaseQuantity.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be positive");
        own.Require(LotStep > 0 && LotStep <= BaseQuantity, $"{KeyPrefix}.lot_step", LotStep.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "must be positive and not above base_quantity");
        own.Require(Enum.IsDefined(UnknownVariables), $"{KeyPrefix}.unknown_variables", UnknownVariables.ToString(), "must be throw or treat_as_violated");
        errors.AddRange(own.Errors);
        return errors;
    }
}
