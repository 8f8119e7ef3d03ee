namespace HueyP.Domain.Constraints;

/// <summary>A condition that is not valid syntax. Column is 1-based.</summary>
public sealed class ConstraintSyntaxException(string constraintId, int column, string detail)
    : Exception($"Constraint '{constraintId}', column {column}: {detail}")
{
    public string ConstraintId { get; } = constraintId;
    public int Column { get; } = column;
    public string Detail { get; } = detail;
}

/// <summary>A condition that parsed but could not be evaluated on a context (unknown variable, type mismatch, division by zero).</summary>
public sealed class ConstraintEvaluationException(string constraintId, int column, string detail)
    : Exception($"Constraint '{constraintId}', column {column}: {detail}")
{
    public string ConstraintId { get; } = constraintId;
    public int Column { get; } = column;
    public string Detail { get; } = detail;
}
