namespace HueyP.Domain.Agents;

/// <summary>Ordered from least to most conservative; ties in the consensus go to the more conservative action.</summary>
public enum AgentAction { Proceed, AllowWithCaution, Hold, EmergencyStop }

public static class AgentActionNames
{
    public static string Name(this AgentAction action) => action switch
    {
        AgentAction.Proceed => "PROCEED",
        AgentAction.AllowWithCaution => "ALLOW_WITH_CAUTION",
        AgentAction.Hold => "HOLD",
        _ => "EMERGENCY_STOP",
    };
}

public sealed record AgentVote(string Agent, AgentAction Action, double Confidence, string Reason);

/// <summary>
/// What the agents see. Every number may be NaN when its source is missing; agents treat a missing number as the
/// worst case for their concern (fail closed), never as "fine".
/// </summary>
public sealed record AgentSituation(
    string Symbol,
    double DailyDrawdownPct,
    int OpenPositions,
    double PortfolioCorrelation,
    double SpreadPips,
    double DataAgeSeconds,
    double LiquidityScore,
    bool HighVolatility,
    bool BrokerConnected,
    double BrokerLatencyMs,
    double BrokerRejectRate,
    double ErrorRate,
    double DecisionLagMs,
    bool SymbolAllowed,
    bool MarketOpen,
    bool EventBlackoutActive);

public interface IAgent
{
    string Name { get; }
    AgentVote Analyse(AgentSituation situation);
}
