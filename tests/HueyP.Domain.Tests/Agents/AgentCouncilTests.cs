using HueyP.Domain.Agents;

namespace HueyP.Domain.Tests.Agents;

public class AgentCouncilTests
{
    internal static readonly AgentSituation Calm = new(
        Symbol: "EURUSD", DailyDrawdownPct: 0.5, OpenPositions: 1, PortfolioCorrelation: 0.1, SpreadPips: 0.8,
        DataAgeSeconds: 1, LiquidityScore: 0.9, HighVolatility: false, BrokerConnected: true, BrokerLatencyMs: 80,
        BrokerRejectRate: 0, ErrorRate: 0, DecisionLagMs: 5, SymbolAllowed: true, MarketOpen: true, EventBlackoutActive: false);

    private static readonly AgentCouncil Council = new(AgentOptions.Default);

    [Fact]
    public void Calm_conditions_proceed_with_five_votes()
    {
        var result = Council.Decide(Calm);
        Assert.Equal(AgentAction.Proceed, result.Action);
        Assert.Equal(["risk", "market", "execution", "system", "compliance"], result.Votes.Select(v => v.Agent));
        Assert.Null(result.VetoedBy);
        Assert.Equal(1.0, result.Support, 9);
    }

    [Fact]
    public void Risk_emergency_stop_is_a_veto_even_when_everyone_else_proceeds()
    {
        var result = Council.Decide(Calm with { DailyDrawdownPct = 4.2 });
        Assert.Equal(AgentAction.EmergencyStop, result.Action);
        Assert.Equal("risk", result.VetoedBy);
        Assert.Equal(4, result.Votes.Count(v => v.Action == AgentAction.Proceed));
        Assert.Contains("daily drawdown 4.2%", result.Reason);
    }

    [Fact]
    public void Another_agents_emergency_stop_is_only_a_weighted_vote()
    {
        var votes = new[]
        {
            new AgentVote("risk", AgentAction.Proceed, 0.8, ""),
            new AgentVote("market", AgentAction.Proceed, 0.8, ""),
            new AgentVote("system", AgentAction.EmergencyStop, 0.9, "panic"),
        };
        var result = AgentCouncil.Combine(votes, new Dictionary<string, double> { ["risk"] = 1.5, ["market"] = 1, ["system"] = 1 });
        Assert.Equal(AgentAction.Proceed, result.Action);
        Assert.Null(result.VetoedBy);
    }

    [Fact]
    public void Weighted_majority_of_caution_wins()
    {
        var result = Council.Decide(Calm with { HighVolatility = true, BrokerLatencyMs = 700, ErrorRate = 0.1, DailyDrawdownPct = 2.5 });
        // caution: risk 1.5*0.7 + market 0.6 + execution 0.7 + system 0.6 = 2.95 vs proceed: compliance 1.2*0.9 = 1.08
        Assert.Equal(AgentAction.AllowWithCaution, result.Action);
        Assert.Equal(2.95 / (2.95 + 1.08), result.Support, 9);
    }

    [Fact]
    public void Ties_go_to_the_more_conservative_action()
    {
        var votes = new[] { new AgentVote("a", AgentAction.Proceed, 0.5, ""), new AgentVote("b", AgentAction.Hold, 0.5, "") };
        Assert.Equal(AgentAction.Hold, AgentCouncil.Combine(votes, new Dictionary<string, double>()).Action);
    }

    [Theory]
    [InlineData("risk")]
    [InlineData("market")]
    [InlineData("execution")]
    [InlineData("system")]
    public void Missing_numbers_are_treated_as_bad_not_fine(string agent)
    {
        var blind = Calm with
        {
            DailyDrawdownPct = double.NaN, DataAgeSeconds = double.NaN, BrokerLatencyMs = double.NaN, ErrorRate = double.NaN,
        };
        var vote = Council.Decide(blind).Votes.Single(v => v.Agent == agent);
        Assert.NotEqual(AgentAction.Proceed, vote.Action);
    }

    [Fact]
    public void Compliance_holds_outside_the_allow_list_market_hours_or_in_a_blackout()
    {
        var compliance = new ComplianceAgent();
        Assert.Equal(AgentAction.Hold, compliance.Analyse(Calm with { SymbolAllowed = false }).Action);
        Assert.Equal(AgentAction.Hold, compliance.Analyse(Calm with { MarketOpen = false }).Action);
        Assert.Equal("event blackout active", compliance.Analyse(Calm with { EventBlackoutActive = true }).Reason);
    }

    [Fact]
    public void Execution_holds_when_the_broker_is_disconnected()
    {
        var vote = new ExecutionAgent(AgentOptions.Default).Analyse(Calm with { BrokerConnected = false });
        Assert.Equal(AgentAction.Hold, vote.Action);
        Assert.Equal(1.0, vote.Confidence);
    }

    [Fact]
    public void Invalid_options_are_named()
    {
        var error = Assert.Single((AgentOptions.Default with { HoldDrawdownPct = 5 }).Validate());
        Assert.StartsWith("hueyp.agents.risk.hold_drawdown_pct = 5: must lie between", error.ToString());
    }
}
