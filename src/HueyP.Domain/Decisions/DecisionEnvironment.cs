using HueyP.Domain.Constraints;
using HueyP.Domain.Policy;
using HueyP.Domain.Reentry;

namespace HueyP.Domain.Decisions;

/// <summary>The last exit of this symbol, when the next entry would be a reentry.</summary>
public sealed record LastExit(ExitKind Kind, DateTime ExitTimeUtc, int RetriesUsed);

/// <summary>
/// What the symbol's owner knows about the world besides the quote: portfolio, broker, system health, calendar.
/// The engine never reads a clock: <see cref="NowUtc"/> is the decision time, so replays are deterministic.
/// </summary>
public sealed record DecisionEnvironment
{
    public required DateTime NowUtc { get; init; }
    public bool MarketOpen { get; init; } = true;
    /// <summary>Trading session name used by session-scoped constraints (e.g. london, new_york, tokyo, sydney).</summary>
    public string Session { get; init; } = "london";
    public double DailyDrawdownPct { get; init; }
    public int OpenPositions { get; init; }
    public double PortfolioCorrelation { get; init; }
    public IReadOnlyList<PositionCorrelation> OpenPositionCorrelations { get; init; } = [];
    public bool EventBlackoutActive { get; init; }
    public double LiquidityScore { get; init; } = 1.0;
    public bool BrokerConnected { get; init; } = true;
    public double BrokerLatencyMs { get; init; }
    public double BrokerRejectRate { get; init; }
    public double ErrorRate { get; init; }
    public double DecisionLagMs { get; init; }
    public bool Halted { get; init; }
    public LastExit? LastExit { get; init; }
}

/// <summary>The variables a constraint condition may read in a decision (see <c>data/constraints.json</c>).</summary>
public static class DecisionVariableNames
{
    public static readonly IReadOnlyList<string> All =
    [
        "spread_pips", "data_age_s", "bar_tick_count", "atr", "rsi", "confidence", "high_volatility",
        "daily_drawdown_pct", "open_positions", "portfolio_correlation", "liquidity_score", "market_open",
        "event_blackout", "broker_connected", "broker_latency_ms", "broker_reject_rate", "error_rate", "decision_lag_ms",
    ];
}

/// <summary>
/// The variables constraint conditions can read, looked up by name with a switch: no dictionary is built per
/// decision, and nothing outside this list is reachable from a condition.
/// </summary>
internal sealed class DecisionVariables(DecisionEnvironment environment, double spreadPips, double dataAgeSeconds,
    int barTickCount, double atr, double rsi, double confidence, bool highVolatility) : IVariableSource
{
    public bool TryGet(string name, out Value value)
    {
        Value? found = name switch
        {
            "spread_pips" => Value.Of(spreadPips),
            "data_age_s" => Value.Of(dataAgeSeconds),
            "bar_tick_count" => Value.Of(barTickCount),
            "atr" => Value.Of(atr),
            "rsi" => Value.Of(rsi),
            "confidence" => Value.Of(confidence),
            "high_volatility" => Value.Of(highVolatility),
            "daily_drawdown_pct" => Value.Of(environment.DailyDrawdownPct),
            "open_positions" => Value.Of(environment.OpenPositions),
            "portfolio_correlation" => Value.Of(environment.PortfolioCorrelation),
            "liquidity_score" => Value.Of(environment.LiquidityScore),
            "market_open" => Value.Of(environment.MarketOpen),
            "event_blackout" => Value.Of(environment.EventBlackoutActive),
            "broker_connected" => Value.Of(environment.BrokerConnected),
            "broker_latency_ms" => Value.Of(environment.BrokerLatencyMs),
            "broker_reject_rate" => Value.Of(environment.BrokerRejectRate),
            "error_rate" => Value.Of(environment.ErrorRate),
            "decision_lag_ms" => Value.Of(environment.DecisionLagMs),
            _ => null,
        };
        value = found.GetValueOrDefault();
        return found.HasValue;
    }
}
