using HueyP.Domain.Constraints;

namespace HueyP.Domain.Gates;

/// <summary>A constraint that did not pass, as recorded in a decision.</summary>
public sealed record ConstraintViolation(string Id, ConstraintType Type, Severity Severity, string Detail);

public sealed record GateScore(ConstraintType Type, double Score, double Weight, int Evaluated, bool CriticalFailed);

public sealed record QualityGateReport(
    IReadOnlyList<GateScore> Gates,
    double Overall,
    double Threshold,
    bool Approved,
    IReadOnlyList<ConstraintViolation> Violations)
{
    public GateScore Gate(ConstraintType type) => Gates.First(g => g.Type == type);
}

/// <summary>
/// Scores each constraint type 0..100 as the share of severity points that passed (a gate with no applicable
/// constraint scores 100), caps a gate with a failed critical constraint, and approves when the weighted mean
/// reaches the threshold (a stricter one in a high-volatility regime) and, unless configured otherwise,
/// no critical constraint failed. Errors count as failures: fail closed.
/// </summary>
public sealed class QualityGate
{
    private static readonly ConstraintType[] Types = Enum.GetValues<ConstraintType>();
    private readonly QualityGateOptions _options;

    public QualityGate(QualityGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Strategy.InvalidOptionsException.ThrowIfAny(options.Validate());
        _options = options;
    }

    public QualityGateReport Score(IReadOnlyList<ConstraintResult> results, bool highVolatility)
    {
        ArgumentNullException.ThrowIfNull(results);
        var gates = new List<GateScore>(Types.Length);
        var weightedSum = 0.0;
        var weightTotal = 0.0;
        foreach (var type in Types)
        {
            double possible = 0, passed = 0;
            var evaluated = 0;
            var criticalFailed = false;
            foreach (var result in results)
            {
                if (result.Constraint.Type != type) continue;
                evaluated++;
                var points = _options.Points(result.Constraint.Severity);
                possible += points;
                if (!result.IsViolated) passed += points;
                else if (result.Constraint.Severity == Severity.Critical) criticalFailed = true;
            }

            var score = possible == 0 ? 100.0 : 100.0 * passed / possible;
            if (criticalFailed) score = Math.Min(score, _options.CriticalCap);
            var weight = _options.Weight(type);
            gates.Add(new GateScore(type, score, weight, evaluated, criticalFailed));
            weightedSum += weight * score;
            weightTotal += weight;
        }

        var overall = weightedSum / weightTotal;
        var threshold = highVolatility ? _options.HighVolatilityApproveThreshold : _options.ApproveThreshold;
        var violations = results
            .Where(r => r.IsViolated)
            .Select(r => new ConstraintViolation(r.Constraint.Id, r.Constraint.Type, r.Constraint.Severity, r.Detail ?? ""))
            .ToList();
        var criticalBlocks = _options.BlockOnCriticalViolation && gates.Any(g => g.CriticalFailed);
        return new QualityGateReport(gates, overall, threshold, overall >= threshold && !criticalBlocks, violations);
    }
}
