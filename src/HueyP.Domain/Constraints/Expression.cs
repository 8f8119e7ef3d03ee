namespace HueyP.Domain.Constraints;

public enum BinaryOperator { Add, Subtract, Multiply, Divide, Less, LessOrEqual, Greater, GreaterOrEqual, Equal, NotEqual, And, Or }

public enum UnaryOperator { Negate, Not }

/// <summary>
/// A parsed condition. Evaluation walks this tree; nothing is ever compiled to or run as code, so a condition
/// can only read variables and compute numbers and booleans. Column is where the node starts (1-based).
/// </summary>
public abstract record Expression(int Column)
{
    public abstract Value Evaluate(IVariableSource variables, string constraintId);
}

public sealed record NumberLiteral(int Column, double Number) : Expression(Column)
{
    public override Value Evaluate(IVariableSource variables, string constraintId) => Value.Of(Number);
}

public sealed record BooleanLiteral(int Column, bool Boolean) : Expression(Column)
{
    public override Value Evaluate(IVariableSource variables, string constraintId) => Value.Of(Boolean);
}

public sealed record Variable(int Column, string Name) : Expression(Column)
{
    public override Value Evaluate(IVariableSource variables, string constraintId) =>
        variables.TryGet(Name, out var value)
            ? value
            : throw new ConstraintEvaluationException(constraintId, Column, $"unknown variable '{Name}'");
}

public sealed record Unary(int Column, UnaryOperator Operator, Expression Operand) : Expression(Column)
{
    public override Value Evaluate(IVariableSource variables, string constraintId)
    {
        var value = Operand.Evaluate(variables, constraintId);
        return Operator == UnaryOperator.Not
            ? Value.Of(!Operands.Boolean(value, "not", Column, constraintId))
            : Value.Of(-Operands.Number(value, "-", Column, constraintId));
    }
}

public sealed record Binary(int Column, BinaryOperator Operator, Expression Left, Expression Right) : Expression(Column)
{
    public override Value Evaluate(IVariableSource variables, string constraintId)
    {
        var symbol = Symbol(Operator);
        var left = Left.Evaluate(variables, constraintId);
        switch (Operator)
        {
            case BinaryOperator.And:
                return Operands.Boolean(left, symbol, Column, constraintId)
                    ? Value.Of(Operands.Boolean(Right.Evaluate(variables, constraintId), symbol, Column, constraintId))
                    : Value.False;
            case BinaryOperator.Or:
                return Operands.Boolean(left, symbol, Column, constraintId)
                    ? Value.True
                    : Value.Of(Operands.Boolean(Right.Evaluate(variables, constraintId), symbol, Column, constraintId));
        }

        var right = Right.Evaluate(variables, constraintId);
        if (Operator is BinaryOperator.Equal or BinaryOperator.NotEqual)
        {
            if (left.IsBoolean != right.IsBoolean)
                throw new ConstraintEvaluationException(constraintId, Column,
                    $"'{symbol}' compares a {left.TypeName} with a {right.TypeName}");
            var equal = left.IsBoolean ? left.Boolean == right.Boolean : left.Number == right.Number;
            return Value.Of(Operator == BinaryOperator.Equal ? equal : !equal);
        }

        var a = Operands.Number(left, symbol, Column, constraintId);
        var b = Operands.Number(right, symbol, Column, constraintId);
        return Operator switch
        {
            BinaryOperator.Add => Value.Of(a + b),
            BinaryOperator.Subtract => Value.Of(a - b),
            BinaryOperator.Multiply => Value.Of(a * b),
            BinaryOperator.Divide => b == 0
                ? throw new ConstraintEvaluationException(constraintId, Column, "division by zero")
                : Value.Of(a / b),
            BinaryOperator.Less => Value.Of(a < b),
            BinaryOperator.LessOrEqual => Value.Of(a <= b),
            BinaryOperator.Greater => Value.Of(a > b),
            _ => Value.Of(a >= b),
        };
    }

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.And => "and",
        _ => "or",
    };
}

internal static class Operands
{
    public static double Number(Value value, string op, int column, string constraintId) =>
        value.IsBoolean
            ? throw new ConstraintEvaluationException(constraintId, column, $"'{op}' needs a number, got a boolean")
            : value.Number;

    public static bool Boolean(Value value, string op, int column, string constraintId) =>
        value.IsBoolean
            ? value.Boolean
            : throw new ConstraintEvaluationException(constraintId, column, $"'{op}' needs a boolean, got the number {value}");
}
