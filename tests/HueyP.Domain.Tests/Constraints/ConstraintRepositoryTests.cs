using HueyP.Domain.Constraints;
using HueyP.Domain.Tests.ReferenceData;

namespace HueyP.Domain.Tests.Constraints;

public class ConstraintRepositoryTests
{
    private static ConstraintDefinition Def(string id, string condition, Severity severity = Severity.Warning,
        string[]? sessions = null, string[]? symbols = null) =>
        new(id, id, ConstraintType.MarketQuality, condition, severity, sessions ?? [], symbols ?? []);

    [Fact]
    public void Seed_file_loads_and_covers_every_gate_type()
    {
        var set = ConstraintLoader.Load(File.ReadAllText(ReferenceFiles.RepositoryFile("data/constraints.json")));
        Assert.True(set.Constraints.Count >= 10);
        foreach (var type in Enum.GetValues<ConstraintType>())
            Assert.Contains(set.Constraints, c => c.Definition.Type == type);
        Assert.Contains(set.Constraints, c => c.Definition.Id == "mq.spread_too_wide");
        Assert.Contains(set.Constraints, c => c.Definition.Id == "mq.stale_data" && c.Definition.Severity == Severity.Critical);
    }

    [Fact]
    public void Violated_when_the_condition_is_false()
    {
        var constraint = new CompiledConstraint(Def("spread", "spread_pips <= 3"));
        var wide = new DictionaryVariableSource(new Dictionary<string, Value> { ["spread_pips"] = Value.Of(4) });
        var tight = new DictionaryVariableSource(new Dictionary<string, Value> { ["spread_pips"] = Value.Of(1) });
        Assert.Equal(ConstraintStatus.Violated, constraint.Evaluate(wide).Status);
        Assert.Equal(ConstraintStatus.Passed, constraint.Evaluate(tight).Status);
    }

    [Fact]
    public void Unknown_variable_counts_as_violated_or_throws_as_configured()
    {
        var constraint = new CompiledConstraint(Def("latency", "broker_latency_ms < 500"));
        var empty = new DictionaryVariableSource(new Dictionary<string, Value>());
        var result = constraint.Evaluate(empty, UnknownVariablePolicy.TreatAsViolated);
        Assert.Equal(ConstraintStatus.Error, result.Status);
        Assert.True(result.IsViolated);
        Assert.Contains("unknown variable 'broker_latency_ms'", result.Detail);
        Assert.Throws<ConstraintEvaluationException>(() => constraint.Evaluate(empty, UnknownVariablePolicy.Throw));
    }

    [Fact]
    public void A_numeric_condition_is_an_error_not_a_pass()
    {
        var result = new CompiledConstraint(Def("n", "1 + 1")).Evaluate(new DictionaryVariableSource(new Dictionary<string, Value>()));
        Assert.Equal(ConstraintStatus.Error, result.Status);
        Assert.Contains("must be true or false", result.Detail);
    }

    [Fact]
    public void Sessions_and_symbols_restrict_where_a_constraint_applies()
    {
        var set = new ConstraintSet([Def("all", "true"), Def("asia-eur", "true", sessions: ["tokyo"], symbols: ["EURUSD"])]);
        var vars = new DictionaryVariableSource(new Dictionary<string, Value>());
        Assert.Equal(2, set.Evaluate(vars, "EURUSD", "tokyo").Count);
        Assert.Single(set.Evaluate(vars, "EURUSD", "london"));
        Assert.Single(set.Evaluate(vars, "GBPUSD", "tokyo"));
    }

    [Fact]
    public void Loader_collects_every_error_naming_constraint_and_field()
    {
        const string json = """
            { "constraints": [
              { "id": "a", "name": "A", "type": "market_quality", "condition": "spread_pips <= ", "severity": "warning" },
              { "id": "b", "name": "B", "type": "weather", "condition": "true", "severity": "fatal" },
              { "name": "C", "type": "system_health", "condition": "true", "severity": "info" },
              { "id": "a", "name": "A2", "type": "system_health", "condition": "true", "severity": "info", "symbols": "EURUSD" }
            ] }
            """;
        var ex = Assert.Throws<ConstraintConfigurationException>(() => ConstraintLoader.Load(json));
        Assert.Contains("constraint 'a'.condition: Constraint 'a', column 16: unexpected end of expression: a value is missing", ex.Errors);
        Assert.Contains("constraint 'b'.type = weather: must be one of market_quality, risk_management, system_health, broker_connectivity", ex.Errors);
        Assert.Contains("constraint 'b'.severity = fatal: must be one of info, warning, critical", ex.Errors);
        Assert.Contains("constraints[2].id: is required and must be a string", ex.Errors);
        Assert.Contains("constraint 'a': id is used more than once", ex.Errors);
        Assert.Contains("constraint 'a'.symbols: must be an array of strings", ex.Errors);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "root must be an object")]
    [InlineData("{\"constraints\": 5}", "root must be an object")]
    public void Loader_refuses_malformed_documents(string json, string fragment)
    {
        var ex = Assert.Throws<ConstraintConfigurationException>(() => ConstraintLoader.Load(json));
        Assert.Contains(fragment, ex.Message);
    }
}
