using System.Globalization;

namespace HueyP.Domain.Agents;

internal static class Facts
{
    /// <summary>True when the value is missing (NaN) or above the limit: a missing number is treated as bad.</summary>
    public static bool Above(double value, double limit) => double.IsNaN(value) || value > limit;
    public static bool AtLeast(double value, double limit) => double.IsNaN(value) || value >= limit;
    public static bool Below(double value, double limit) => double.IsNaN(value) || value < limit;
    public static string Show(double value) => double.IsNaN(value) ? "missing" : value.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>Guards the account: drawdown, position count, correlation. Its EMERGENCY_STOP is a veto.</summary>
public sealed class RiskAgent(AgentOptions options) : IAgent
{
    public const string AgentName = "risk";
    public string Name => AgentName;

    public AgentVote Analyse(AgentSituation s)
    {
        if (Facts.AtLeast(s.DailyDrawdownPct, options.EmergencyDrawdownPct))
            return new(Name, AgentAction.EmergencyStop, 1.0, $"daily drawdown {Facts.Show(s.DailyDrawdownPct)}% at or above emergency {options.EmergencyDrawdownPct}%");
        if (s.DailyDrawdownPct >= options.HoldDrawdownPct)
            return new(Name, AgentAction.Hold, 0.9, $"daily drawdown {Facts.Show(s.DailyDrawdownPct)}% at or above {options.HoldDrawdownPct}%");
        if (s.OpenPositions >= options.MaxOpenPositions)
            return new(Name, AgentAction.Hold, 0.8, $"{s.OpenPositions} open positions, limit {options.MaxOpenPositions}");
        if (s.DailyDrawdownPct >= options.CautionDrawdownPct)
            return new(Name, AgentAction.AllowWithCaution, 0.7, $"daily drawdown {Facts.Show(s.DailyDrawdownPct)}% at or above {options.CautionDrawdownPct}%");
        if (Facts.Above(s.PortfolioCorrelation, options.CautionPortfolioCorrelation))
            return new(Name, AgentAction.AllowWithCaution, 0.6, $"portfolio correlation {Facts.Show(s.PortfolioCorrelation)} above {options.CautionPortfolioCorrelation}");
        return new(Name, AgentAction.Proceed, 0.8, "risk within limits");
    }
}

/// <summary>Judges the market: fresh data, tradable spread, liquidity, volatility.</summary>
public sealed class MarketAgent(AgentOptions options) : IAgent
{
    public string Name => "market";

    public AgentVote Analyse(AgentSituation s)
    {
        if (Facts.Above(s.DataAgeSeconds, options.MaxDataAgeSeconds))
            return new(Name, AgentAction.Hold, 0.95, $"data age {Facts.Show(s.DataAgeSeconds)}s above {options.MaxDataAgeSeconds}s");
        if (Facts.Above(s.SpreadPips, options.MaxSpreadPips))
            return new(Name, AgentAction.Hold, 0.8, $"spread {Facts.Show(s.SpreadPips)} pips above {options.MaxSpreadPips}");
        if (Facts.Below(s.LiquidityScore, options.MinLiquidityScore))
            return new(Name, AgentAction.Hold, 0.8, $"liquidity score {Facts.Show(s.LiquidityScore)} below {options.MinLiquidityScore}");
        if (s.HighVolatility)
            return new(Name, AgentAction.AllowWithCaution, 0.6, "high-volatility regime");
        return new(Name, AgentAction.Proceed, 0.7, "market conditions normal");
    }
}

/// <summary>Judges whether an order can be executed well: broker connection, latency, rejections.</summary>
public sealed class ExecutionAgent(AgentOptions options) : IAgent
{
    public string Name => "execution";

    public AgentVote Analyse(AgentSituation s)
    {
        if (!s.BrokerConnected)
            return new(Name, AgentAction.Hold, 1.0, "broker not connected");
        if (Facts.Above(s.BrokerLatencyMs, options.HoldLatencyMs))
            return new(Name, AgentAction.Hold, 0.9, $"broker latency {Facts.Show(s.BrokerLatencyMs)} ms above {options.HoldLatencyMs} ms");
        if (s.BrokerLatencyMs > options.CautionLatencyMs)
            return new(Name, AgentAction.AllowWithCaution, 0.7, $"broker latency {Facts.Show(s.BrokerLatencyMs)} ms above {options.CautionLatencyMs} ms");
        if (Facts.Above(s.BrokerRejectRate, options.CautionRejectRate))
            return new(Name, AgentAction.AllowWithCaution, 0.6, $"broker reject rate {Facts.Show(s.BrokerRejectRate)} above {options.CautionRejectRate}");
        return new(Name, AgentAction.Proceed, 0.7, "execution path healthy");
    }
}

/// <summary>Judges the engine itself: error rate and whether decisions keep up with the feed.</summary>
public sealed class SystemAgent(AgentOptions options) : IAgent
{
    public string Name => "system";

    public AgentVote Analyse(AgentSituation s)
    {
        if (Facts.Above(s.ErrorRate, options.HoldErrorRate))
            return new(Name, AgentAction.Hold, 0.9, $"error rate {Facts.Show(s.ErrorRate)} above {options.HoldErrorRate}");
        if (s.ErrorRate > options.CautionErrorRate)
            return new(Name, AgentAction.AllowWithCaution, 0.6, $"error rate {Facts.Show(s.ErrorRate)} above {options.CautionErrorRate}");
        if (Facts.Above(s.DecisionLagMs, options.CautionDecisionLagMs))
            return new(Name, AgentAction.AllowWithCaution, 0.5, $"decision lag {Facts.Show(s.DecisionLagMs)} ms above {options.CautionDecisionLagMs} ms");
        return new(Name, AgentAction.Proceed, 0.7, "system healthy");
    }
}

/// <summary>Judges whether trading is permitted at all: allow-list, market hours, event blackouts.</summary>
public sealed class ComplianceAgent : IAgent
{
    public string Name => "compliance";

    public AgentVote Analyse(AgentSituation s)
    {
        if (!s.SymbolAllowed) return new(Name, AgentAction.Hold, 1.0, $"{s.Symbol} is not in the allow-list");
        if (!s.MarketOpen) return new(Name, AgentAction.Hold, 1.0, "market closed");
        if (s.EventBlackoutActive) return new(Name, AgentAction.Hold, 1.0, "event blackout active");
        return new(Name, AgentAction.Proceed, 0.9, "permitted");
    }
}
