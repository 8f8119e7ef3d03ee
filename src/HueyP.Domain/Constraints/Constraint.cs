namespace HueyP.Domain.Constraints;

public enum ConstraintType { MarketQuality, RiskManagement, SystemHealth, BrokerConnectivity }

public enum Severity { Info, Warning, Critical }

/// <summary>
/// One rule as configured. <see cref="Condition"/> states what must hold for trading to be healthy
/// (e.g. <c>spread_pips &lt;= 3</c>); the constraint is violated when it evaluates to false.
/// Empty <see cref="Sessions"/> or <see cref="Symbols"/> means "all".
/// </summary>
public sealed record ConstraintDefinition(
    string Id,
    string Name,
    ConstraintType Type,
    string Condition,
    Severity Severity,
    IReadOnlyList<string> Sessions,
    IReadOnlyList<string> Symbols,
    string Description = "");

public enum ConstraintStatus { Passed, Violated, Error }

public sealed record ConstraintResult(ConstraintDefinition Constraint, ConstraintStatus Status, string? Detail)
{
    public bool IsViolated => Status != ConstraintStatus.Passed;
}

/// <summary>What evaluation does when a condition reads a variable the context does not have.</summary>
public enum UnknownVariablePolicy
{
    /// <summary>Throw <see cref="ConstraintEvaluationException"/>: a misconfigured constraint stops the caller.</summary>
    Throw,
    /// <summary>Report the constraint as <see cref="ConstraintStatus.Error"/> (counted as violated, fail-closed).</summary>
    TreatAsViolated,
}

/// <summary>A definition with its condition parsed once; evaluate it as often as needed.</summary>
public sealed class CompiledConstraint
{
    private readonly HashSet<string> _sessions;
    private readonly HashSet<string> _symbols;

    public CompiledConstraint(ConstraintDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Expression = ExpressionParser.Parse(definition.Condition, definition.Id);
        _sessions = new HashSet<string>(definition.Sessions, StringComparer.OrdinalIgnoreCase);
        _symbols = new HashSet<string>(definition.Symbols, StringComparer.OrdinalIgnoreCase);
    }

    public ConstraintDefinition Definition { get; }
    public Expression Expression { get; }

    public bool AppliesTo(string symbol, string session) =>
        (_symbols.Count == 0 || _symbols.Contains(symbol)) && (_sessions.Count == 0 || _sessions.Contains(session));

    public ConstraintResult Evaluate(IVariableSource variables, UnknownVariablePolicy policy = UnknownVariablePolicy.TreatAsViolated)
    {
        Value value;
        try
        {
            value = Expression.Evaluate(variables, Definition.Id);
        }
        catch (ConstraintEvaluationException ex) when (policy == UnknownVariablePolicy.TreatAsViolated)
        {
            return new ConstraintResult(Definition, ConstraintStatus.Error, ex.Message);
        }

        if (!value.IsBoolean)
        {
            var message = $"Constraint '{Definition.Id}', column 1: condition must be true or false, got the number {value}";
            if (policy == UnknownVariablePolicy.Throw) throw new ConstraintEvaluationException(Definition.Id, 1, $"condition must be true or false, got the number {value}");
            return new ConstraintResult(Definition, ConstraintStatus.Error, message);
        }

        return value.Boolean
            ? new ConstraintResult(Definition, ConstraintStatus.Passed, null)
            : new ConstraintResult(Definition, ConstraintStatus.Violated, $"{Definition.Name}: '{Definition.Condition}' is false");
    }
}

/// <summary>The compiled constraint repository: evaluate the ones that apply to a symbol and session.</summary>
public sealed class ConstraintSet
{
    public ConstraintSet(IEnumerable<ConstraintDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        Constraints = definitions.Select(d => new CompiledConstraint(d)).ToList();
        var duplicate = Constraints.GroupBy(c => c.Definition.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Constraint id '{duplicate.Key}' is defined {duplicate.Count()} times.", nameof(definitions));
    }

    public static ConstraintSet Empty { get; } = new([]);

    public IReadOnlyList<CompiledConstraint> Constraints { get; }

    public IReadOnlyList<ConstraintResult> Evaluate(IVariableSource variables, string symbol, string session,
        UnknownVariablePolicy policy = UnknownVariablePolicy.TreatAsViolated)
    {
        var results = new List<ConstraintResult>(Constraints.Count);
        foreach (var constraint in Constraints)
            if (constraint.AppliesTo(symbol, session))
                results.Add(constraint.Evaluate(variables, policy));
        return results;
    }
}
