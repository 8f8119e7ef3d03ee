using HueyP.Domain.Agents;
using HueyP.Domain.Policy;
using HueyP.Domain.Strategy;

namespace HueyP.Domain.Tests.Policy;

public class PolicyGateTests
{
    private static readonly PolicyOptions Options = new() { AllowedSymbols = ["EURUSD", "GBPUSD"] };
    private static readonly PolicyGate Gate = new(Options);

    private static readonly PolicyInput Good = new(
        Symbol: "EURUSD", Confidence: 0.8, RequestedQuantity: 1.0m, MarketOpen: true, DataAgeSeconds: 2,
        DailyDrawdownPct: 0.5, EventBlackoutActive: false, LiquidityScore: 0.9, QualityGateApproved: true,
        Consensus: AgentAction.Proceed, PortfolioCorrelation: 0.1, OpenPositionCorrelations: []);

    private static PolicyReasonCode Only(PolicyDecision decision) => Assert.Single(decision.Reasons).Code;

    [Fact]
    public void Clean_signal_is_approved_at_full_size()
    {
        var decision = Gate.Evaluate(Good);
        Assert.Equal(PolicyVerdict.Approve, decision.Verdict);
        Assert.Empty(decision.Reasons);
        Assert.Equal(1.0m, decision.ApprovedQuantity);
    }

    public static TheoryData<string, PolicyInput, PolicyReasonCode> RejectRules => new()
    {
        { "market closed", Good with { MarketOpen = false }, PolicyReasonCode.MarketClosed },
        { "data 31 s old", Good with { DataAgeSeconds = 31 }, PolicyReasonCode.StaleData },
        { "symbol not allowed", Good with { Symbol = "XAUUSD" }, PolicyReasonCode.SymbolNotAllowed },
        { "drawdown exactly 3%", Good with { DailyDrawdownPct = 3.0 }, PolicyReasonCode.DailyDrawdownLimit },
        { "event blackout", Good with { EventBlackoutActive = true }, PolicyReasonCode.EventBlackout },
        { "liquidity 0.69", Good with { LiquidityScore = 0.69 }, PolicyReasonCode.LowLiquidity },
        { "confidence 0.59", Good with { Confidence = 0.59 }, PolicyReasonCode.LowConfidence },
        { "gates failed", Good with { QualityGateApproved = false }, PolicyReasonCode.QualityGateFailed },
        { "agents hold", Good with { Consensus = AgentAction.Hold }, PolicyReasonCode.AgentsHold },
        { "agents emergency", Good with { Consensus = AgentAction.EmergencyStop }, PolicyReasonCode.AgentsEmergencyStop },
        { "pair correlation -0.85", Good with { OpenPositionCorrelations = [new("GBPUSD", -0.85)] }, PolicyReasonCode.PairCorrelationBlocked },
    };

    [Theory]
    [MemberData(nameof(RejectRules))]
    public void Each_reject_rule_rejects_with_its_reason_and_zero_size(string rule, PolicyInput input, PolicyReasonCode code)
    {
        var decision = Gate.Evaluate(input);
        Assert.True(decision.Verdict == PolicyVerdict.Reject, rule);
        Assert.Equal(code, Only(decision));
        Assert.Equal(0m, decision.ApprovedQuantity);
    }

    [Fact]
    public void Boundaries_just_inside_the_limits_pass()
    {
        var decision = Gate.Evaluate(Good with
        {
            DataAgeSeconds = 30, DailyDrawdownPct = 2.999, LiquidityScore = 0.7, Confidence = 0.6, PortfolioCorrelation = 0.35,
            OpenPositionCorrelations = [new("GBPUSD", 0.79)],
        });
        Assert.Equal(PolicyVerdict.Approve, decision.Verdict);
    }

    [Fact]
    public void Caution_from_agents_asks_for_review()
    {
        var decision = Gate.Evaluate(Good with { Consensus = AgentAction.AllowWithCaution });
        Assert.Equal(PolicyVerdict.Review, decision.Verdict);
        Assert.Equal(PolicyReasonCode.AgentsCaution, Only(decision));
        Assert.Equal(1.0m, decision.ApprovedQuantity);
    }

    [Fact]
    public void Portfolio_correlation_above_035_asks_for_review()
    {
        var decision = Gate.Evaluate(Good with { PortfolioCorrelation = 0.36 });
        Assert.Equal(PolicyVerdict.Review, decision.Verdict);
        Assert.Equal(PolicyReasonCode.PortfolioCorrelationHigh, Only(decision));
    }

    [Fact]
    public void Reject_takes_precedence_over_review_and_every_reason_is_kept()
    {
        var decision = Gate.Evaluate(Good with { Consensus = AgentAction.AllowWithCaution, PortfolioCorrelation = 0.5, MarketOpen = false });
        Assert.Equal(PolicyVerdict.Reject, decision.Verdict);
        Assert.Equal([PolicyReasonCode.MarketClosed, PolicyReasonCode.AgentsCaution, PolicyReasonCode.PortfolioCorrelationHigh],
            decision.Reasons.Select(r => r.Code));
        Assert.Equal(0m, decision.ApprovedQuantity);
    }

    [Fact]
    public void Pair_correlation_can_scale_instead_of_block()
    {
        var scaling = new PolicyGate(Options with { PairCorrelationAction = PairCorrelationAction.Scale, PairCorrelationScale = 0.5 });
        var decision = scaling.Evaluate(Good with
        {
            RequestedQuantity = 2m, OpenPositionCorrelations = [new("GBPUSD", 0.9), new("EURGBP", -0.8)],
        });
        Assert.Equal(PolicyVerdict.Approve, decision.Verdict);
        Assert.Equal(1.0m, decision.ApprovedQuantity);
        Assert.Equal(PolicyReasonCode.PairCorrelationScaled, Only(decision));
    }

    [Theory]
    [InlineData(double.NaN, 2, "confidence is NaN, not a number")]
    [InlineData(0.8, double.NaN, "data_age_s is NaN, not a number")]
    [InlineData(0.8, double.PositiveInfinity, "data_age_s is Infinity, not a number")]
    [InlineData(0.8, -5, "data from the future")]
    public void Bad_numbers_reject_with_a_reason_instead_of_crashing(double confidence, double dataAge, string message)
    {
        var decision = Gate.Evaluate(Good with { Confidence = confidence, DataAgeSeconds = dataAge });
        Assert.Equal(PolicyVerdict.Reject, decision.Verdict);
        Assert.Contains(decision.Reasons, r => r.Code == PolicyReasonCode.InvalidInput && r.Message.Contains(message));
    }

    [Fact]
    public void Nan_everywhere_is_still_a_reject_with_reasons()
    {
        var decision = Gate.Evaluate(Good with
        {
            DailyDrawdownPct = double.NaN, LiquidityScore = double.NaN, PortfolioCorrelation = double.NaN,
            OpenPositionCorrelations = [new("GBPUSD", double.NaN)], RequestedQuantity = 0,
        });
        Assert.Equal(PolicyVerdict.Reject, decision.Verdict);
        Assert.Equal(5, decision.Reasons.Count(r => r.Code == PolicyReasonCode.InvalidInput));
    }

    [Fact]
    public void Options_are_validated_in_range_and_order()
    {
        var errors = (Options with { ReviewPortfolioCorrelation = 0.9, MinConfidence = 1.2, AllowedSymbols = [] }).Validate()
            .Select(e => e.ToString()).ToList();
        Assert.Contains("hueyp.policy.review_portfolio_correlation = 0.9: must be less than pair_correlation_limit (0.8)", errors);
        Assert.Contains("hueyp.policy.min_confidence = 1.2: must be in [0,1]", errors);
        Assert.Contains("hueyp.policy.allowed_symbols = []: must list at least one symbol, none empty", errors);
        Assert.Throws<InvalidOptionsException>(() => new PolicyGate(Options with { MaxDataAgeSeconds = double.NaN }));
    }
}
