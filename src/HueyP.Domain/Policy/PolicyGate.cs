using System.Globalization;
using HueyP.Domain.Agents;

namespace HueyP.Domain.Policy;

/// <summary>Ordered by precedence: the decision is the most severe verdict among the reasons.</summary>
public enum PolicyVerdict { Approve, Review, Reject }

public enum PolicyReasonCode
{
    InvalidInput,
    Halted,
    MarketClosed,
    StaleData,
    SymbolNotAllowed,
    DailyDrawdownLimit,
    EventBlackout,
    LowLiquidity,
    LowConfidence,
    QualityGateFailed,
    AgentsHold,
    AgentsEmergencyStop,
    PairCorrelationBlocked,
    AgentsCaution,
    PortfolioCorrelationHigh,
    PairCorrelationScaled,
}

public sealed record PolicyReason(PolicyReasonCode Code, PolicyVerdict Verdict, string Message);

public sealed record PositionCorrelation(string Symbol, double Correlation);

/// <summary>Everything the policy gate judges. Numbers may arrive as NaN from a broken source: that is a REJECT, not a crash.</summary>
public sealed record PolicyInput(
    string Symbol,
    double Confidence,
    decimal RequestedQuantity,
    bool MarketOpen,
    double DataAgeSeconds,
    double DailyDrawdownPct,
    bool EventBlackoutActive,
    double LiquidityScore,
    bool QualityGateApproved,
    AgentAction Consensus,
    double PortfolioCorrelation,
    IReadOnlyList<PositionCorrelation> OpenPositionCorrelations,
    bool Halted = false);

public sealed record PolicyDecision(PolicyVerdict Verdict, IReadOnlyList<PolicyReason> Reasons, decimal ApprovedQuantity)
{
    public bool IsApproved => Verdict == PolicyVerdict.Approve;
}

/// <summary>
/// The last, deterministic word on every signal: a fixed list of rules, each adding a reason with its verdict,
/// and the decision is REJECT if any rule rejects, else REVIEW if any asks for review, else APPROVE.
/// All reasons are kept, so a record shows every rule that fired, not just the first.
/// </summary>
public sealed class PolicyGate
{
    private readonly PolicyOptions _options;
    private readonly HashSet<string> _allowed;

    public PolicyGate(PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Strategy.InvalidOptionsException.ThrowIfAny(options.Validate());
        _options = options;
        _allowed = new HashSet<string>(options.AllowedSymbols, StringComparer.OrdinalIgnoreCase);
    }

    public PolicyOptions Options => _options;

    public PolicyDecision Evaluate(PolicyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reasons = new List<PolicyReason>();
        void Reject(PolicyReasonCode code, string message) => reasons.Add(new PolicyReason(code, PolicyVerdict.Reject, message));
        void Review(PolicyReasonCode code, string message) => reasons.Add(new PolicyReason(code, PolicyVerdict.Review, message));

        CheckInput(input, Reject);

        if (input.Halted) Reject(PolicyReasonCode.Halted, "symbol is halted");
        if (!input.MarketOpen) Reject(PolicyReasonCode.MarketClosed, "market is closed");
        if (input.DataAgeSeconds > _options.MaxDataAgeSeconds)
            Reject(PolicyReasonCode.StaleData, $"data is {Show(input.DataAgeSeconds)} s old, limit {Show(_options.MaxDataAgeSeconds)} s");
        if (string.IsNullOrWhiteSpace(input.Symbol) || !_allowed.Contains(input.Symbol))
            Reject(PolicyReasonCode.SymbolNotAllowed, $"symbol '{input.Symbol}' is not in the allow-list");
        if (input.DailyDrawdownPct >= _options.MaxDailyDrawdownPct)
            Reject(PolicyReasonCode.DailyDrawdownLimit, $"daily drawdown {Show(input.DailyDrawdownPct)}% reached the {Show(_options.MaxDailyDrawdownPct)}% limit");
        if (input.EventBlackoutActive) Reject(PolicyReasonCode.EventBlackout, "event blackout is active");
        if (input.LiquidityScore < _options.MinLiquidityScore)
            Reject(PolicyReasonCode.LowLiquidity, $"liquidity score {Show(input.LiquidityScore)} below {Show(_options.MinLiquidityScore)}");
        if (input.Confidence < _options.MinConfidence)
            Reject(PolicyReasonCode.LowConfidence, $"signal confidence {Show(input.Confidence)} below {Show(_options.MinConfidence)}");
        if (!input.QualityGateApproved) Reject(PolicyReasonCode.QualityGateFailed, "quality gates did not approve");
        switch (input.Consensus)
        {
            case AgentAction.EmergencyStop: Reject(PolicyReasonCode.AgentsEmergencyStop, "agents called an emergency stop"); break;
            case AgentAction.Hold: Reject(PolicyReasonCode.AgentsHold, "agents voted to hold"); break;
            case AgentAction.AllowWithCaution: Review(PolicyReasonCode.AgentsCaution, "agents allow only with caution"); break;
        }
        if (input.PortfolioCorrelation > _options.ReviewPortfolioCorrelation)
            Review(PolicyReasonCode.PortfolioCorrelationHigh,
                $"portfolio correlation {Show(input.PortfolioCorrelation)} above {Show(_options.ReviewPortfolioCorrelation)}");

        var scale = 1m;
        foreach (var position in input.OpenPositionCorrelations ?? [])
        {
            if (!(Math.Abs(position.Correlation) >= _options.PairCorrelationLimit)) continue;
            var message = $"correlation {Show(position.Correlation)} with open {position.Symbol} reaches |ρ| ≥ {Show(_options.PairCorrelationLimit)}";
            if (_options.PairCorrelationAction == PairCorrelationAction.Block)
                Reject(PolicyReasonCode.PairCorrelationBlocked, message);
            else
            {
                // Applied once however many positions correlate: the point is to halve the new exposure, not to shrink it to nothing.
                if (scale == 1m) reasons.Add(new PolicyReason(PolicyReasonCode.PairCorrelationScaled, PolicyVerdict.Approve,
                    $"{message}: size scaled by {Show(_options.PairCorrelationScale)}"));
                scale = (decimal)_options.PairCorrelationScale;
            }
        }

        var verdict = reasons.Count == 0 ? PolicyVerdict.Approve : reasons.Max(r => r.Verdict);
        var quantity = verdict == PolicyVerdict.Reject ? 0m : Math.Max(0m, input.RequestedQuantity) * scale;
        return new PolicyDecision(verdict, reasons, quantity);
    }

    private static void CheckInput(PolicyInput input, Action<PolicyReasonCode, string> reject)
    {
        void Finite(double value, string name)
        {
            if (!double.IsFinite(value)) reject(PolicyReasonCode.InvalidInput, $"{name} is {Show(value)}, not a number");
        }

        Finite(input.Confidence, "confidence");
        Finite(input.DataAgeSeconds, "data_age_s");
        Finite(input.DailyDrawdownPct, "daily_drawdown_pct");
        Finite(input.LiquidityScore, "liquidity_score");
        Finite(input.PortfolioCorrelation, "portfolio_correlation");
        if (input.DataAgeSeconds < 0)
            reject(PolicyReasonCode.InvalidInput, $"data_age_s is {Show(input.DataAgeSeconds)}: data from the future means a clock is wrong");
        if (input.RequestedQuantity <= 0)
            reject(PolicyReasonCode.InvalidInput, $"requested quantity {input.RequestedQuantity.ToString(CultureInfo.InvariantCulture)} must be positive");
        if (input.OpenPositionCorrelations is null)
        {
            reject(PolicyReasonCode.InvalidInput, "open position correlations are missing");
            return;
        }
        foreach (var position in input.OpenPositionCorrelations)
            if (!double.IsFinite(position.Correlation) || Math.Abs(position.Correlation) > 1)
                reject(PolicyReasonCode.InvalidInput, $"correlation with {position.Symbol} is {Show(position.Correlation)}, must be in [-1,1]");
    }

    private static string Show(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
