using HueyP.Domain.Constraints;

namespace HueyP.Domain.Tests.Constraints;

public class ExpressionLanguageTests
{
    private static readonly DictionaryVariableSource Vars = new(new Dictionary<string, Value>
    {
        ["spread_pips"] = Value.Of(2.5),
        ["data_age_s"] = Value.Of(4),
        ["broker.latency_ms"] = Value.Of(120),
        ["broker_connected"] = Value.True,
        ["zero"] = Value.Of(0),
    });

    private static Value Eval(string text) => ExpressionParser.Parse(text, "c1").Evaluate(Vars, "c1");

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("24 / 4 / 3", 2)]
    [InlineData("-2 * -3", 6)]
    [InlineData("- (1 + 1)", -2)]
    [InlineData("1.5e2 + .5", 150.5)]
    [InlineData("spread_pips * 2", 5)]
    [InlineData("broker.latency_ms / 1000", 0.12)]
    public void Arithmetic_follows_usual_precedence(string text, double expected)
    {
        Assert.Equal(expected, Eval(text).Number, 12);
    }

    [Theory]
    [InlineData("spread_pips <= 3", true)]
    [InlineData("spread_pips < 2.5", false)]
    [InlineData("spread_pips >= 2.5 and data_age_s > 3", true)]
    [InlineData("1 == 1 and 2 != 2", false)]
    [InlineData("true or false and false", true)]
    [InlineData("(true or false) and false", false)]
    [InlineData("not spread_pips > 3", true)]
    [InlineData("not true or true", true)]
    [InlineData("broker_connected == true", true)]
    [InlineData("1 + 1 == 2", true)]
    public void Boolean_logic_follows_usual_precedence(string text, bool expected)
    {
        Assert.Equal(Value.Of(expected), Eval(text));
    }

    [Fact]
    public void And_or_short_circuit_so_a_guard_protects_the_right_side()
    {
        Assert.Equal(Value.False, Eval("zero != 0 and 1 / zero > 1"));
        Assert.Equal(Value.True, Eval("zero == 0 or missing_variable > 1"));
    }

    [Theory]
    [InlineData("spread_pips <= ", 16, "a value is missing")]
    [InlineData("spread_pips <= 3)", 17, "unexpected ')'")]
    [InlineData("(spread_pips <= 3", 18, "expected ')' to close the '(' at column 1")]
    [InlineData("spread_pips = 3", 13, "use '==' to compare")]
    [InlineData("1 < 2 < 3", 7, "cannot be chained")]
    [InlineData("spread_pips $ 3", 13, "unexpected character '$'")]
    [InlineData("3abc > 1", 2, "right after the number")]
    [InlineData("1.2.3 > 1", 1, "not a valid number")]
    [InlineData("and > 1", 1, "keyword 'and'")]
    [InlineData("", 1, "a value is missing")]
    public void Syntax_errors_name_the_constraint_and_column(string text, int column, string fragment)
    {
        var ex = Assert.Throws<ConstraintSyntaxException>(() => ExpressionParser.Parse(text, "mq.spread"));
        Assert.Equal("mq.spread", ex.ConstraintId);
        Assert.Equal(column, ex.Column);
        Assert.Contains(fragment, ex.Message);
        Assert.StartsWith($"Constraint 'mq.spread', column {column}:", ex.Message);
    }

    [Fact]
    public void Unknown_variable_is_a_clear_evaluation_error()
    {
        var ex = Assert.Throws<ConstraintEvaluationException>(() => Eval("spread_pips < 3 and latency > 5"));
        Assert.Equal("Constraint 'c1', column 21: unknown variable 'latency'", ex.Message);
    }

    [Fact]
    public void Code_is_never_run_it_is_just_an_unknown_variable()
    {
        var expression = ExpressionParser.Parse("System.IO.File == 1", "evil");
        var variable = Assert.IsType<Variable>(Assert.IsType<Binary>(expression).Left);
        Assert.Equal("System.IO.File", variable.Name);
        var ex = Assert.Throws<ConstraintEvaluationException>(() => expression.Evaluate(Vars, "evil"));
        Assert.Contains("unknown variable 'System.IO.File'", ex.Message);
        Assert.Throws<ConstraintSyntaxException>(() => ExpressionParser.Parse("System.IO.File.Delete(\"x\")", "evil"));
    }

    [Theory]
    [InlineData("true + 1", "'+' needs a number, got a boolean")]
    [InlineData("spread_pips and true", "'and' needs a boolean, got the number 2.5")]
    [InlineData("true == 1", "'==' compares a boolean with a number")]
    [InlineData("1 / zero", "division by zero")]
    public void Type_errors_and_division_by_zero_are_evaluation_errors(string text, string fragment)
    {
        var ex = Assert.Throws<ConstraintEvaluationException>(() => Eval(text));
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void Pathological_nesting_is_refused_not_a_stack_overflow()
    {
        var text = new string('(', 5000) + "1" + new string(')', 5000);
        var ex = Assert.Throws<ConstraintSyntaxException>(() => ExpressionParser.Parse(text, "deep"));
        Assert.Contains("nests deeper", ex.Message);
    }

    [Fact]
    public void Parsed_once_evaluated_many_times_against_changing_context()
    {
        var expression = ExpressionParser.Parse("spread_pips <= 3", "c");
        var values = new Dictionary<string, Value> { ["spread_pips"] = Value.Of(1) };
        var source = new DictionaryVariableSource(values);
        Assert.Equal(Value.True, expression.Evaluate(source, "c"));
        values["spread_pips"] = Value.Of(4);
        Assert.Equal(Value.False, expression.Evaluate(source, "c"));
    }
}
