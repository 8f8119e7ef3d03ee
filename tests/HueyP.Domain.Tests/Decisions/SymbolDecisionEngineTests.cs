using HueyP.Domain.Agents;
using HueyP.Domain.Bars;
using HueyP.Domain.Constraints;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Domain.Policy;
using HueyP.Domain.Reentry;
using HueyP.Domain.Strategy;
using HueyP.Domain.Tests.ReferenceData;

namespace HueyP.Domain.Tests.Decisions;

public class SymbolDecisionEngineTests
{
    internal static readonly IReadOnlyList<ConstraintDefinition> SeedConstraints =
        ConstraintLoader.Parse(File.ReadAllText(ReferenceFiles.RepositoryFile("data/constraints.json")));

    internal static readonly DecisionEngineOptions Options = new()
    {
        Strategy = EmaCrossoverOptions.Default with { Timeframe = Timeframe.M1, FastPeriod = 3, SlowPeriod = 8, RsiPeriod = 7, AtrPeriod = 7 },
        Policy = new PolicyOptions { AllowedSymbols = ["EURUSD", "GBPUSD"] },
        Constraints = SeedConstraints,
        BaseQuantity = 1.0m,
    };

    internal static List<DecisionRecord> Replay(DecisionEngineOptions options, Func<Quote, DecisionEnvironment>? environment = null, int quotes = 3000)
    {
        var engine = new SymbolDecisionEngine("EURUSD", options);
        var records = new List<DecisionRecord>();
        foreach (var quote in SyntheticMarket.Quotes(quotes))
        {
            var env = environment?.Invoke(quote) ?? new DecisionEnvironment { NowUtc = quote.TimeUtc };
            if (engine.OnQuote(quote, env) is { } record) records.Add(record);
        }
        return records;
    }

    [Fact]
    public void Healthy_conditions_turn_signals_into_order_intents()
    {
        var records = Replay(Options);
        Assert.NotEmpty(records);
        var orders = records.Where(r => r.OrderIntent is not null).ToList();
        Assert.NotEmpty(orders);
        foreach (var record in orders)
        {
            var intent = record.OrderIntent!;
            Assert.Equal("ORDER", record.Outcome);
            Assert.Equal(PolicyVerdict.Approve, record.Policy.Verdict);
            Assert.Equal(record.Signal.Side, intent.Side);
            Assert.Equal(record.Signal.StopLoss, intent.StopLoss);
            Assert.Equal(record.Signal.TakeProfit, intent.TakeProfit);
            Assert.Equal(record.Signal.BarTimeUtc, intent.BarTimeUtc);
            Assert.Equal(1.0m, intent.Quantity);
            Assert.Equal(0, intent.ReentryProfile);
            Assert.Equal("ema-crossover-rsi", intent.Strategy);
            Assert.True(record.Gates.Approved);
            Assert.Equal(5, record.Agents.Votes.Count);
        }
        // signals whose confidence is below the policy minimum are recorded without an order
        Assert.All(records.Where(r => r.Signal.Confidence < 0.6), r => Assert.Null(r.OrderIntent));
    }

    [Fact]
    public void Ticks_inside_a_bar_produce_no_record()
    {
        var engine = new SymbolDecisionEngine("EURUSD", Options);
        var quotes = SyntheticMarket.Quotes(6).ToList(); // all within the first minute
        Assert.All(quotes, q => Assert.Null(engine.OnQuote(q, new DecisionEnvironment { NowUtc = q.TimeUtc })));
        Assert.Equal(6, engine.CurrentBar!.Value.TickCount);
    }

    [Fact]
    public void A_closed_market_records_the_signal_and_the_reason_but_no_order()
    {
        var records = Replay(Options, q => new DecisionEnvironment { NowUtc = q.TimeUtc, MarketOpen = false });
        Assert.NotEmpty(records);
        Assert.All(records, r =>
        {
            Assert.Null(r.OrderIntent);
            Assert.Equal(PolicyVerdict.Reject, r.Policy.Verdict);
            Assert.Contains(r.Policy.Reasons, reason => reason.Code == PolicyReasonCode.MarketClosed);
            Assert.StartsWith("NO_ORDER: REJECT", r.Outcome);
        });
    }

    [Fact]
    public void A_disconnected_broker_fails_the_gate_and_names_the_violated_constraint()
    {
        var records = Replay(Options, q => new DecisionEnvironment { NowUtc = q.TimeUtc, BrokerConnected = false });
        var record = records.First();
        Assert.False(record.Gates.Approved);
        Assert.Contains(record.Gates.Violations, v => v.Id == "broker.connected");
        Assert.Contains(record.Policy.Reasons, r => r.Code == PolicyReasonCode.QualityGateFailed);
        Assert.Null(record.OrderIntent);
    }

    [Fact]
    public void Risk_veto_appears_in_the_record()
    {
        var record = Replay(Options, q => new DecisionEnvironment { NowUtc = q.TimeUtc, DailyDrawdownPct = 4.5 }).First();
        Assert.Equal(AgentAction.EmergencyStop, record.Agents.Consensus);
        Assert.Equal("risk", record.Agents.VetoedBy);
        Assert.Contains(record.Policy.Reasons, r => r.Code == PolicyReasonCode.DailyDrawdownLimit);
        Assert.Null(record.OrderIntent);
    }

    [Fact]
    public void A_reentry_is_sized_by_the_die_and_waits_for_its_delay()
    {
        var exit = SyntheticMarket.Start;
        var records = Replay(Options, q => new DecisionEnvironment
        {
            NowUtc = q.TimeUtc, LastExit = new LastExit(ExitKind.StopLoss, exit, RetriesUsed: 0),
        });
        var ordered = records.Where(r => r.OrderIntent is not null).ToList();
        Assert.NotEmpty(ordered);
        Assert.All(ordered, r =>
        {
            Assert.Equal(ReentryOutcome.Allowed, r.Reentry.Outcome);
            Assert.InRange(r.OrderIntent!.ReentryProfile, 1, 6);
            var profile = ReentryOptions.Default.Profile(r.OrderIntent.ReentryProfile);
            Assert.Equal((decimal)profile.Sizing, r.OrderIntent.Quantity);
        });

        var halted = Replay(Options, q => new DecisionEnvironment
        {
            NowUtc = q.TimeUtc, Halted = true, LastExit = new LastExit(ExitKind.StopLoss, exit, 0),
        });
        Assert.All(halted, r =>
        {
            Assert.Equal(ReentryOutcome.Halted, r.Reentry.Outcome);
            Assert.Null(r.OrderIntent);
            Assert.Contains(r.Policy.Reasons, reason => reason.Code == PolicyReasonCode.Halted);
        });
    }

    [Fact]
    public void Nan_inputs_from_a_broken_source_reject_instead_of_crashing()
    {
        var records = Replay(Options, q => new DecisionEnvironment { NowUtc = q.TimeUtc, LiquidityScore = double.NaN, BrokerLatencyMs = double.NaN });
        Assert.NotEmpty(records);
        Assert.All(records, r =>
        {
            Assert.Null(r.OrderIntent);
            Assert.Contains(r.Policy.Reasons, reason => reason.Code == PolicyReasonCode.InvalidInput && reason.Message.Contains("liquidity_score"));
        });
        Assert.All(records, r => Assert.NotEmpty(DecisionJson.Serialize(r)));
    }

    [Fact]
    public void Every_variable_the_seed_constraints_read_is_provided_by_the_engine()
    {
        static IEnumerable<string> Variables(Expression e) => e switch
        {
            Variable v => [v.Name],
            Unary u => Variables(u.Operand),
            Binary b => Variables(b.Left).Concat(Variables(b.Right)),
            _ => [],
        };

        var provided = new HashSet<string>(DecisionVariableNames.All);
        foreach (var constraint in new ConstraintSet(SeedConstraints).Constraints)
            foreach (var name in Variables(constraint.Expression))
                Assert.True(provided.Contains(name), $"constraint '{constraint.Definition.Id}' reads '{name}', which the engine does not provide");
    }

    [Fact]
    public void Invalid_configuration_is_refused_at_construction_with_every_key()
    {
        var bad = Options with { PipSize = 0, Policy = Options.Policy with { MinConfidence = 2 } };
        var ex = Assert.Throws<InvalidOptionsException>(() => new SymbolDecisionEngine("EURUSD", bad));
        Assert.Contains("hueyp.decision.pip_size = 0", ex.Message);
        Assert.Contains("hueyp.policy.min_confidence = 2", ex.Message);
    }
}
