using System.Globalization;
using System.Text;

namespace HueyP.Hocon.Syntax;

/// <summary>Turns HOCON text into tokens; comments are dropped, newlines are kept because they separate fields.</summary>
internal sealed class HoconTokenizer
{
    // Characters the spec forbids in unquoted strings; they end an unquoted run.
    private const string NotInUnquoted = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly string _text;
    private readonly string _file;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    public HoconTokenizer(string text, string file)
    {
        _text = text;
        _file = file;
    }

    public List<HoconToken> Tokenize()
    {
        var tokens = new List<HoconToken>();
        while (true)
        {
            var token = Next();
            tokens.Add(token);
            if (token.Kind == HoconTokenKind.EndOfFile)
            {
                return tokens;
            }
        }
    }

    private int Column => _position - _lineStart + 1;

    private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private bool AtEnd => _position >= _text.Length;

    private HoconParseException Error(string reason, int line, int column) => new(_file, line, column, reason);

    private HoconToken Next()
    {
        SkipComment();
        if (AtEnd)
        {
            return new HoconToken(HoconTokenKind.EndOfFile, "", _line, Column);
        }

        var line = _line;
        var column = Column;
        var c = Peek();
        if (c == '\n')
        {
            _position++;
            _line++;
            _lineStart = _position;
            return new HoconToken(HoconTokenKind.Newline, "\n", line, column);
        }
        if (IsWhitespace(c))
        {
            var start = _position;
            while (!AtEnd && Peek() != '\n' && IsWhitespace(Peek()))
            {
                _position++;
            }
            return new HoconToken(HoconTokenKind.Whitespace, _text[start.._position], line, column);
        }

        switch (c)
        {
            case ',': _position++; return new HoconToken(HoconTokenKind.Comma, ",", line, column);
            case ':': _position++; return new HoconToken(HoconTokenKind.Colon, ":", line, column);
            case '=': _position++; return new HoconToken(HoconTokenKind.Equals, "=", line, column);
            case '{': _position++; return new HoconToken(HoconTokenKind.OpenBrace, "{", line, column);
            case '}': _position++; return new HoconToken(HoconTokenKind.CloseBrace, "}", line, column);
            case '[': _position++; return new HoconToken(HoconTokenKind.OpenBracket, "[", line, column);
            case ']': _position++; return new HoconToken(HoconTokenKind.CloseBracket, "]", line, column);
            case '+':
                if (Peek(1) != '=')
                {
                    throw Error("'+' is only allowed as part of '+=' (quote the value if it starts with '+')", line, column);
                }
                _position += 2;
                return new HoconToken(HoconTokenKind.PlusEquals, "+=", line, column);
            case '"':
                return Peek(1) == '"' && Peek(2) == '"' ? ReadTripleQuoted(line, column) : ReadQuoted(line, column);
            case '$':
                return ReadSubstitution(line, column);
        }

        if (NotInUnquoted.Contains(c))
        {
            throw Error($"reserved character '{c}' is not allowed in an unquoted string; put the value in double quotes", line, column);
        }
        return ReadUnquoted(line, column);
    }

    private static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private void SkipComment()
    {
        if (Peek() == '#' || (Peek() == '/' && Peek(1) == '/'))
        {
            while (!AtEnd && Peek() != '\n')
            {
                _position++;
            }
        }
    }

    private HoconToken ReadUnquoted(int line, int column)
    {
        var start = _position;
        while (!AtEnd)
        {
            var c = Peek();
            if (c == '\n' || IsWhitespace(c) || NotInUnquoted.Contains(c) || (c == '/' && Peek(1) == '/'))
            {
                break;
            }
            _position++;
        }
        return new HoconToken(HoconTokenKind.UnquotedText, _text[start.._position], line, column);
    }

    private HoconToken ReadQuoted(int line, int column)
    {
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n')
            {
                throw Error("unterminated string: missing closing '\"' before end of line (use \"\"\" for multi-line strings)", line, column);
            }
            var c = Peek();
            if (c == '"')
            {
                _position++;
                return new HoconToken(HoconTokenKind.QuotedString, value.ToString(), line, column);
            }
            if (c == '\\')
            {
                value.Append(ReadEscape());
                continue;
            }
            value.Append(c);
            _position++;
        }
    }

    private string ReadEscape()
    {
        var column = Column;
        _position++;
        var c = Peek();
        _position++;
        switch (c)
        {
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'u':
                if (_position + 4 <= _text.Length
                    && int.TryParse(_text.AsSpan(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                {
                    _position += 4;
                    return ((char)code).ToString();
                }
                throw Error("\\u must be followed by four hex digits", _line, column);
            default:
                throw Error($"invalid escape '\\{c}' in quoted string", _line, column);
        }
    }

    private HoconToken ReadTripleQuoted(int line, int column)
    {
        _position += 3;
        var start = _position;
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated triple-quoted string: missing closing '\"\"\"'", line, column);
            }
            if (Peek() == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                // Quotes immediately before the closing """ belong to the string ("""a"""" is a").
                var end = _position;
                while (Peek(3) == '"')
                {
                    _position++;
                }
                end = _position;
                _position += 3;
                return new HoconToken(HoconTokenKind.QuotedString, _text[start..end], line, column);
            }
            if (Peek() == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }
            _position++;
        }
    }

    private HoconToken ReadSubstitution(int line, int column)
    {
        if (Peek(1) != '{')
        {
            throw Error("'$' must start a substitution like ${path}; quote the value if '$' is literal", line, column);
        }
        _position += 2;
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            _position++;
        }
        var start = _position;
        var inQuotes = false;
        while (true)
        {
            if (AtEnd || Peek() == '\n')
            {
                throw Error("unterminated substitution: missing '}'", line, column);
            }
            var c = Peek();
            if (inQuotes && c == '\\')
            {
                _position += 2;
                continue;
            }
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (c == '}' && !inQuotes)
            {
                var expression = _text[start.._position];
                _position++;
                if (expression.Trim().Length == 0)
                {
                    throw Error("empty substitution ${}: a path is required", line, column);
                }
                return new HoconToken(HoconTokenKind.Substitution, expression, line, column, optional);
            }
            _position++;
        }
    }
}
