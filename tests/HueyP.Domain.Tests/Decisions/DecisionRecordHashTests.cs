using System.Text.Json;
using HueyP.Domain.Decisions;

namespace HueyP.Domain.Tests.Decisions;

public class DecisionRecordHashTests
{
    private static readonly DecisionEngineOptions Options = SymbolDecisionEngineTests.Options;

    [Fact]
    public void Two_identical_replays_produce_the_same_hash()
    {
        static string Run()
        {
            var chain = new DecisionHashChain();
            foreach (var record in SymbolDecisionEngineTests.Replay(Options)) chain.Append(record);
            return chain.Head;
        }

        var first = Run();
        Assert.Equal(first, Run());
        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.NotEqual(new string('0', 64), first);
    }

    [Fact]
    public void A_different_decision_changes_the_hash()
    {
        var records = SymbolDecisionEngineTests.Replay(Options);
        var original = new DecisionHashChain();
        var altered = new DecisionHashChain();
        foreach (var r in records) original.Append(r);
        foreach (var r in records.Select((r, i) => i == records.Count / 2 ? r with { Outcome = r.Outcome + " " } : r)) altered.Append(r);
        Assert.NotEqual(original.Head, altered.Head);
        Assert.Equal(original.Count, altered.Count);
    }

    [Fact]
    public void Order_of_records_matters()
    {
        var records = SymbolDecisionEngineTests.Replay(Options).Take(2).ToList();
        Assert.Equal(2, records.Count);
        var forward = new DecisionHashChain();
        var backward = new DecisionHashChain();
        forward.Append(records[0]);
        forward.Append(records[1]);
        backward.Append(records[1]);
        backward.Append(records[0]);
        Assert.NotEqual(forward.Head, backward.Head);
    }

    [Fact]
    public void Canonical_json_has_a_stable_property_order_and_round_trippable_doubles()
    {
        var record = SymbolDecisionEngineTests.Replay(Options).First(r => r.OrderIntent is not null);
        var json = DecisionJson.SerializeToString(record);
        Assert.Equal(json, DecisionJson.SerializeToString(record));
        Assert.DoesNotContain("\n", json);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(
            ["schema_version", "decision_time_utc", "symbol", "indicators", "signal", "reentry", "gates", "agents", "policy", "order_intent", "outcome", "config_hash"],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        var indicators = document.RootElement.GetProperty("indicators");
        Assert.Equal(record.Indicators.FastEma, indicators.GetProperty("fast_ema").GetDouble());
        Assert.Equal(record.Signal.StopLoss, document.RootElement.GetProperty("signal").GetProperty("stop_loss").GetDouble());
        Assert.Equal("Approve", document.RootElement.GetProperty("policy").GetProperty("verdict").GetString());
        Assert.EndsWith("Z", document.RootElement.GetProperty("decision_time_utc").GetString());
    }

    [Fact]
    public void Warm_up_nans_serialize_instead_of_failing()
    {
        var record = SymbolDecisionEngineTests.Replay(Options).First();
        var withNan = record with { Indicators = record.Indicators with { Rsi = double.NaN } };
        Assert.Contains("\"rsi\":\"NaN\"", DecisionJson.SerializeToString(withNan));
    }

    [Fact]
    public void Config_hash_identifies_the_configuration()
    {
        var hash = DecisionJson.ConfigHash(Options);
        Assert.Equal(hash, DecisionJson.ConfigHash(Options with { }));
        Assert.NotEqual(hash, DecisionJson.ConfigHash(Options with { BaseQuantity = 2m }));
        Assert.NotEqual(hash, DecisionJson.ConfigHash(Options with { Strategy = Options.Strategy with { RsiOverbought = 71 } }));
        Assert.All(SymbolDecisionEngineTests.Replay(Options), r => Assert.Equal(hash, r.ConfigHash));
    }
}
