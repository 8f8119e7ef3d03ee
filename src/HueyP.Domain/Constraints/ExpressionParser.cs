using System.Globalization;

namespace HueyP.Domain.Constraints;

/// <summary>
/// Recursive-descent parser of the constraint language. Precedence, loosest first:
/// <c>or</c>, <c>and</c>, <c>not</c>, comparisons (non-associative: <c>a &lt; b &lt; c</c> is an error),
/// <c>+ -</c>, <c>* /</c>, unary minus, then numbers, <c>true</c>/<c>false</c>, variables and parentheses.
/// Variable names may contain dots (<c>broker.latency_ms</c>); they are only ever looked up, never resolved as code.
/// </summary>
public static class ExpressionParser
{
    private const int MaxDepth = 64;

    public static Expression Parse(string text, string constraintId)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(Tokenizer.Tokenize(text, constraintId), constraintId);
        var expression = parser.ParseOr(0);
        parser.ExpectEnd();
        return expression;
    }

    private sealed class Parser(List<Token> tokens, string constraintId)
    {
        private int _position;

        private Token Current => tokens[_position];

        public void ExpectEnd()
        {
            if (Current.Kind != TokenKind.End)
                throw Error(Current, $"unexpected '{Current.Text}' after the end of the expression");
        }

        public Expression ParseOr(int depth)
        {
            var left = ParseAnd(depth);
            while (Current.IsKeyword("or"))
            {
                var op = Next();
                left = new Binary(op.Column, BinaryOperator.Or, left, ParseAnd(depth));
            }
            return left;
        }

        private Expression ParseAnd(int depth)
        {
            var left = ParseNot(depth);
            while (Current.IsKeyword("and"))
            {
                var op = Next();
                left = new Binary(op.Column, BinaryOperator.And, left, ParseNot(depth));
            }
            return left;
        }

        private Expression ParseNot(int depth)
        {
            if (!Current.IsKeyword("not")) return ParseComparison(depth);
            var op = Next();
            Guard(depth, op);
            return new Unary(op.Column, UnaryOperator.Not, ParseNot(depth + 1));
        }

        private Expression ParseComparison(int depth)
        {
            var left = ParseAdditive(depth);
            if (!TryComparison(Current, out var comparison)) return left;
            var op = Next();
            var right = ParseAdditive(depth);
            if (TryComparison(Current, out _))
                throw Error(Current, $"comparisons cannot be chained; use 'and' (found '{Current.Text}' after '{op.Text}')");
            return new Binary(op.Column, comparison, left, right);
        }

        private Expression ParseAdditive(int depth)
        {
            var left = ParseMultiplicative(depth);
            while (Current.Kind == TokenKind.Operator && Current.Text is "+" or "-")
            {
                var op = Next();
                left = new Binary(op.Column, op.Text == "+" ? BinaryOperator.Add : BinaryOperator.Subtract, left, ParseMultiplicative(depth));
            }
            return left;
        }

        private Expression ParseMultiplicative(int depth)
        {
            var left = ParseUnary(depth);
            while (Current.Kind == TokenKind.Operator && Current.Text is "*" or "/")
            {
                var op = Next();
                left = new Binary(op.Column, op.Text == "*" ? BinaryOperator.Multiply : BinaryOperator.Divide, left, ParseUnary(depth));
            }
            return left;
        }

        private Expression ParseUnary(int depth)
        {
            if (Current.Kind == TokenKind.Operator && Current.Text == "-")
            {
                var op = Next();
                Guard(depth, op);
                return new Unary(op.Column, UnaryOperator.Negate, ParseUnary(depth + 1));
            }
            return ParsePrimary(depth);
        }

        private Expression ParsePrimary(int depth)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Number:
                    Next();
                    return new NumberLiteral(token.Column, token.Number);
                case TokenKind.Identifier when token.Text is "true" or "false":
                    Next();
                    return new BooleanLiteral(token.Column, token.Text == "true");
                case TokenKind.Identifier when token.Text is "and" or "or" or "not":
                    throw Error(token, $"expected a value but found the keyword '{token.Text}'");
                case TokenKind.Identifier:
                    Next();
                    return new Variable(token.Column, token.Text);
                case TokenKind.LeftParenthesis:
                    Next();
                    Guard(depth, token);
                    var inner = ParseOr(depth + 1);
                    if (Current.Kind != TokenKind.RightParenthesis)
                        throw Error(Current, $"expected ')' to close the '(' at column {token.Column}");
                    Next();
                    return inner;
                case TokenKind.End:
                    throw Error(token, "unexpected end of expression: a value is missing");
                default:
                    throw Error(token, $"expected a value but found '{token.Text}'");
            }
        }

        private static bool TryComparison(Token token, out BinaryOperator op)
        {
            op = token.Text switch
            {
                "<" => BinaryOperator.Less,
                "<=" => BinaryOperator.LessOrEqual,
                ">" => BinaryOperator.Greater,
                ">=" => BinaryOperator.GreaterOrEqual,
                "==" => BinaryOperator.Equal,
                "!=" => BinaryOperator.NotEqual,
                _ => BinaryOperator.Add,
            };
            return token.Kind == TokenKind.Operator && op != BinaryOperator.Add;
        }

        private void Guard(int depth, Token token)
        {
            if (depth >= MaxDepth) throw Error(token, $"expression nests deeper than {MaxDepth} levels");
        }

        private Token Next() => tokens[_position++];

        private ConstraintSyntaxException Error(Token token, string detail) => new(constraintId, token.Column, detail);
    }
}

internal enum TokenKind { Number, Identifier, Operator, LeftParenthesis, RightParenthesis, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Column, double Number = 0)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Identifier && Text == keyword;
}

internal static class Tokenizer
{
    public static List<Token> Tokenize(string text, string constraintId)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
                if (i < text.Length && text[i] is 'e' or 'E')
                {
                    i++;
                    if (i < text.Length && text[i] is '+' or '-') i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                }
                var literal = text[start..i];
                if (!double.TryParse(literal, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                    || !double.IsFinite(number))
                    throw new ConstraintSyntaxException(constraintId, column, $"'{literal}' is not a valid number");
                if (i < text.Length && (char.IsAsciiLetter(text[i]) || text[i] == '_'))
                    throw new ConstraintSyntaxException(constraintId, i + 1, $"unexpected '{text[i]}' right after the number '{literal}'");
                tokens.Add(new Token(TokenKind.Number, literal, column, number));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.')) i++;
                var name = text[start..i];
                if (name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal))
                    throw new ConstraintSyntaxException(constraintId, column, $"'{name}' is not a valid variable name");
                tokens.Add(new Token(TokenKind.Identifier, name, column));
                continue;
            }

            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "<=" or ">=" or "==" or "!=")
            {
                tokens.Add(new Token(TokenKind.Operator, two, column));
                i += 2;
                continue;
            }

            switch (c)
            {
                case '+' or '-' or '*' or '/' or '<' or '>':
                    tokens.Add(new Token(TokenKind.Operator, c.ToString(), column));
                    break;
                case '(':
                    tokens.Add(new Token(TokenKind.LeftParenthesis, "(", column));
                    break;
                case ')':
                    tokens.Add(new Token(TokenKind.RightParenthesis, ")", column));
                    break;
                case '=':
                    throw new ConstraintSyntaxException(constraintId, column, "'=' is not an operator; use '==' to compare");
                case '!':
                    throw new ConstraintSyntaxException(constraintId, column, "'!' is not an operator; use 'not' or '!='");
                default:
                    throw new ConstraintSyntaxException(constraintId, column, $"unexpected character '{c}'");
            }
            i++;
        }

        tokens.Add(new Token(TokenKind.End, "end of expression", text.Length + 1));
        return tokens;
    }
}
