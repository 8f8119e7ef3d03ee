using HueyP.Domain.Constraints;
using HueyP.Domain.Gates;

namespace HueyP.Domain.Tests.Gates;

public class QualityGateTests
{
    private static ConstraintResult R(string id, ConstraintType type, Severity severity, bool passed) =>
        new(new ConstraintDefinition(id, id, type, "true", severity, [], []),
            passed ? ConstraintStatus.Passed : ConstraintStatus.Violated, passed ? null : $"{id} failed");

    private static readonly QualityGate Gate = new(QualityGateOptions.Default);

    [Fact]
    public void All_passing_scores_100_and_approves()
    {
        var report = Gate.Score([R("a", ConstraintType.MarketQuality, Severity.Warning, true)], highVolatility: false);
        Assert.Equal(100, report.Overall, 9);
        Assert.True(report.Approved);
        Assert.Empty(report.Violations);
        Assert.Equal(4, report.Gates.Count);
    }

    [Fact]
    public void Gate_score_is_the_share_of_severity_points_that_passed()
    {
        // market quality: warning (2) passed, info (1) failed -> 2/3
        var report = Gate.Score([
            R("w", ConstraintType.MarketQuality, Severity.Warning, true),
            R("i", ConstraintType.MarketQuality, Severity.Info, false)], false);
        Assert.Equal(200.0 / 3, report.Gate(ConstraintType.MarketQuality).Score, 9);
        // weighted: (1.5*100 + 1.2*100 + 1.0*66.67 + 1.0*100) / 4.7
        Assert.Equal((150 + 120 + 200.0 / 3 + 100) / 4.7, report.Overall, 9);
        Assert.Equal("i", Assert.Single(report.Violations).Id);
    }

    [Fact]
    public void A_failed_critical_constraint_caps_its_gate_at_40()
    {
        // 1 critical failed (3 points) out of 3 + 2+2+2+2+2+2+2+2+2+2 = 23 -> 87 uncapped, 40 capped
        var results = Enumerable.Range(0, 10).Select(i => R($"w{i}", ConstraintType.BrokerConnectivity, Severity.Warning, true))
            .Append(R("broker.connected", ConstraintType.BrokerConnectivity, Severity.Critical, false)).ToList();
        var report = Gate.Score(results, false);
        var broker = report.Gate(ConstraintType.BrokerConnectivity);
        Assert.Equal(40, broker.Score);
        Assert.True(broker.CriticalFailed);
        Assert.False(report.Approved);
        Assert.Equal(ConstraintType.BrokerConnectivity, Assert.Single(report.Violations).Type);
    }

    [Fact]
    public void Weighted_threshold_alone_can_be_configured()
    {
        var lenient = new QualityGate(QualityGateOptions.Default with { BlockOnCriticalViolation = false });
        var results = Enumerable.Range(0, 10).Select(i => R($"w{i}", ConstraintType.SystemHealth, Severity.Warning, true))
            .Append(R("c", ConstraintType.SystemHealth, Severity.Critical, false)).ToList();
        var report = lenient.Score(results, false);
        Assert.Equal(40, report.Gate(ConstraintType.SystemHealth).Score);
        // (150 + 120 + 100 + 40) / 4.7 = 87.2
        Assert.Equal(410 / 4.7, report.Overall, 9);
        Assert.True(report.Approved);
    }

    [Fact]
    public void High_volatility_needs_85()
    {
        // risk gate 50: overall = (1.5*50 + 320) / 4.7 = 84.04, between the two thresholds
        var results = new List<ConstraintResult>
        {
            R("w", ConstraintType.RiskManagement, Severity.Warning, true),
            R("w2", ConstraintType.RiskManagement, Severity.Warning, false),
        };
        var calm = Gate.Score(results, highVolatility: false);
        var volatile_ = Gate.Score(results, highVolatility: true);
        Assert.Equal((1.5 * 50 + 320) / 4.7, calm.Overall, 9); // 84.04
        Assert.True(calm.Approved);
        Assert.Equal(80, calm.Threshold);
        Assert.False(volatile_.Approved);
        Assert.Equal(85, volatile_.Threshold);
    }

    [Fact]
    public void Evaluation_errors_count_as_violations()
    {
        var error = new ConstraintResult(new ConstraintDefinition("x", "x", ConstraintType.SystemHealth, "y > 1", Severity.Warning, [], []),
            ConstraintStatus.Error, "unknown variable 'y'");
        var report = Gate.Score([error], false);
        Assert.Equal(0, report.Gate(ConstraintType.SystemHealth).Score);
        Assert.Equal("unknown variable 'y'", Assert.Single(report.Violations).Detail);
    }

    [Fact]
    public void Invalid_options_are_named()
    {
        var errors = (QualityGateOptions.Default with { ApproveThreshold = 90, CriticalCap = 140 }).Validate().Select(e => e.ToString()).ToList();
        Assert.Contains("hueyp.gates.critical_cap = 140: must be in [0,100]", errors);
        Assert.Contains("hueyp.gates.high_volatility_approve_threshold = 85: must be at least approve_threshold (90)", errors);
    }
}
