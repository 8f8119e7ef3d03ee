using System.Globalization;
using HueyP.Domain.Agents;
using HueyP.Domain.Bars;
using HueyP.Domain.Constraints;
using HueyP.Domain.Gates;
using HueyP.Domain.Market;
using HueyP.Domain.Policy;
using HueyP.Domain.Reentry;
using HueyP.Domain.Strategy;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Decisions;

/// <summary>
/// The pure tick-to-decision pipeline of one symbol: quote → bar → indicators → strategy → reentry die →
/// quality gates → agents → policy gate → order intent. The symbol actor owns one and calls <see cref="OnQuote"/>
/// per tick; between bar closes that is a bar update with no allocation. On a signal it returns the full
/// <see cref="DecisionRecord"/>, with or without an order intent; otherwise null.
/// </summary>
public sealed class SymbolDecisionEngine
{
    private readonly DecisionEngineOptions _options;
    private readonly BarBuilder _bars;
    private readonly EmaCrossoverStrategy _strategy;
    private readonly ReentryPlanner _reentry;
    private readonly ConstraintSet _constraints;
    private readonly QualityGate _gates;
    private readonly AgentCouncil _agents;
    private readonly PolicyGate _policy;

    public SymbolDecisionEngine(string symbol, DecisionEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        InvalidOptionsException.ThrowIfAny(options.Validate());
        _options = options;
        _bars = new BarBuilder(symbol, options.Strategy.Timeframe);
        _strategy = new EmaCrossoverStrategy(symbol, options.Strategy);
        _reentry = new ReentryPlanner(options.Reentry);
        _constraints = new ConstraintSet(options.Constraints);
        _gates = new QualityGate(options.Gates);
        _agents = new AgentCouncil(options.Agents);
        _policy = new PolicyGate(options.Policy);
        Symbol = symbol;
        ConfigHash = DecisionJson.ConfigHash(options);
    }

    public string Symbol { get; }
    public string ConfigHash { get; }
    public IndicatorSnapshot Indicators => _strategy.Indicators;
    public Bar? CurrentBar => _bars.Current;

    public DecisionRecord? OnQuote(in Quote quote, DecisionEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (_bars.Add(quote, out var closed) != BarUpdate.ClosedAndOpened) return null;
        var signal = _strategy.OnBarClosed(closed);
        return signal is null ? null : Decide(signal, closed, quote, environment);
    }

    private DecisionRecord Decide(Signal signal, in Bar bar, in Quote quote, DecisionEnvironment env)
    {
        var bucket = _reentry.Classify(signal.Indicators.Atr, signal.EntryReference);
        var highVolatility = bucket is null or VolatilityBucket.High;
        var reentry = PlanReentry(bucket, signal, env);

        var dataAge = (env.NowUtc - quote.TimeUtc).TotalSeconds;
        var variables = new DecisionVariables(env, quote.Spread / _options.PipSize, dataAge, bar.TickCount,
            signal.Indicators.Atr, signal.Indicators.Rsi, signal.Confidence, highVolatility);
        var gateReport = _gates.Score(_constraints.Evaluate(variables, Symbol, env.Session, _options.UnknownVariables), highVolatility);

        var consensus = _agents.Decide(new AgentSituation(
            Symbol, env.DailyDrawdownPct, env.OpenPositions, env.PortfolioCorrelation, quote.Spread / _options.PipSize, dataAge,
            env.LiquidityScore, highVolatility, env.BrokerConnected, env.BrokerLatencyMs, env.BrokerRejectRate, env.ErrorRate,
            env.DecisionLagMs, SymbolAllowed: _options.Policy.AllowedSymbols.Contains(Symbol, StringComparer.OrdinalIgnoreCase),
            env.MarketOpen, env.EventBlackoutActive));

        var reentryBlocks = reentry.Outcome is { } outcome && outcome != ReentryOutcome.Allowed;
        // A blocked reentry carries sizing 0; the policy still judges the signal at nominal size so the record
        // shows what it would have said, instead of a spurious "quantity must be positive".
        var sizing = reentryBlocks && reentry.Sizing <= 0 ? 1.0 : reentry.Sizing;
        var requested = RoundDown(_options.BaseQuantity * (decimal)sizing);
        var policy = _policy.Evaluate(new PolicyInput(
            Symbol, signal.Confidence, requested, env.MarketOpen, dataAge, env.DailyDrawdownPct, env.EventBlackoutActive,
            env.LiquidityScore, gateReport.Approved, consensus.Action, env.PortfolioCorrelation, env.OpenPositionCorrelations, env.Halted));

        var quantity = RoundDown(policy.ApprovedQuantity);
        OrderIntent? intent = null;
        string result;
        if (reentryBlocks) result = $"NO_ORDER: reentry {reentry.Outcome}: {reentry.Reason}";
        else if (policy.Verdict == PolicyVerdict.Reject) result = "NO_ORDER: REJECT " + string.Join(", ", policy.Reasons.Where(r => r.Verdict == PolicyVerdict.Reject).Select(r => r.Code));
        else if (policy.Verdict == PolicyVerdict.Review) result = "NO_ORDER: REVIEW " + string.Join(", ", policy.Reasons.Where(r => r.Verdict == PolicyVerdict.Review).Select(r => r.Code));
        else if (quantity <= 0) result = "NO_ORDER: approved quantity rounds to zero";
        else
        {
            result = "ORDER";
            intent = new OrderIntent(
                signal.Strategy, Symbol, signal.Side, quantity, OrderType.Market, signal.BarTimeUtc, env.NowUtc, quote.Mid,
                LimitPrice: null, signal.StopLoss, signal.TakeProfit, reentry.Face,
                Reason: $"{signal.Side} on EMA cross (confidence {signal.Confidence.ToString("0.###", CultureInfo.InvariantCulture)}), gates {gateReport.Overall.ToString("0.#", CultureInfo.InvariantCulture)}, {consensus.Action.Name()}");
        }

        return new DecisionRecord(
            DecisionRecord.CurrentSchemaVersion, env.NowUtc, Symbol, signal.Indicators, signal, reentry,
            new GateRecord(gateReport.Overall, gateReport.Threshold, gateReport.Approved, gateReport.Gates, gateReport.Violations),
            new AgentRecord(consensus.Action, consensus.Support, consensus.VetoedBy, consensus.Votes),
            new PolicyRecord(policy.Verdict, policy.ApprovedQuantity, policy.Reasons),
            intent, result, ConfigHash);
    }

    private ReentryRecord PlanReentry(VolatilityBucket? bucket, Signal signal, DecisionEnvironment env)
    {
        if (env.LastExit is null)
        {
            // A fresh entry: the die is still rolled and recorded, but only reentries are sized and delayed by it.
            var face = bucket is null ? 0 : _reentry.Roll(bucket.Value);
            return new ReentryRecord(0, bucket, null, 1.0, face == 0 ? "fresh entry" : $"fresh entry (die would show {face})");
        }

        var plan = _reentry.Plan(new ReentryContext(env.LastExit.Kind, env.LastExit.ExitTimeUtc, env.NowUtc,
            signal.Indicators.Atr, signal.EntryReference, env.LastExit.RetriesUsed, env.Halted));
        return new ReentryRecord(plan.Profile?.Face ?? 0, plan.Bucket, plan.Outcome, plan.Sizing, plan.Reason);
    }

    private decimal RoundDown(decimal quantity) =>
        quantity <= 0 ? 0 : Math.Floor(quantity / _options.LotStep) * _options.LotStep;
}
