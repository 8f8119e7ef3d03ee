using System.Text;
using System.Text.RegularExpressions;

namespace HueyP.Hocon.Syntax;

/// <summary>Builds the unresolved tree of one file from its tokens; includes are delegated to <see cref="HoconIncluder"/>.</summary>
internal sealed partial class HoconDocumentParser
{
    private readonly List<HoconToken> _tokens;
    private readonly string _file;
    private readonly HoconIncluder _includer;
    private int _index;

    public HoconDocumentParser(string text, string file, HoconIncluder includer)
    {
        _tokens = new HoconTokenizer(text, file).Tokenize();
        _file = file;
        _includer = includer;
    }

    [GeneratedRegex(@"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")]
    private static partial Regex NumberPattern();

    private HoconToken Current => _tokens[_index];

    private HoconOrigin OriginOf(HoconToken token) => new(_file, token.Line, token.Column);

    private HoconParseException Error(HoconToken token, string reason) => new(_file, token.Line, token.Column, reason);

    public HoconObject ParseDocument()
    {
        SkipWhitespaceAndNewlines();
        var root = new HoconObject(OriginOf(Current));
        if (Current.Kind == HoconTokenKind.OpenBracket)
        {
            throw Error(Current, "the root of a configuration file must be an object, not an array");
        }
        if (Current.Kind == HoconTokenKind.OpenBrace)
        {
            var open = Current;
            _index++;
            ParseFields(root, [], open);
            SkipWhitespaceAndNewlines();
            if (Current.Kind != HoconTokenKind.EndOfFile)
            {
                throw Error(Current, $"unexpected {Current.Describe()} after the closing '}}' of the root object (unbalanced braces?)");
            }
        }
        else
        {
            ParseFields(root, [], null);
        }
        return root;
    }

    private void SkipWhitespace()
    {
        while (Current.Kind == HoconTokenKind.Whitespace)
        {
            _index++;
        }
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Current.Kind is HoconTokenKind.Whitespace or HoconTokenKind.Newline)
        {
            _index++;
        }
    }

    /// <summary>Reads fields until the closing brace (or end of file for a brace-less root).</summary>
    private void ParseFields(HoconObject target, IReadOnlyList<string> objectPath, HoconToken? openBrace)
    {
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Current;
            if (token.Kind == HoconTokenKind.EndOfFile)
            {
                if (openBrace is { } open)
                {
                    throw Error(token, $"unbalanced braces: '{{' opened at line {open.Line}:{open.Column} is never closed");
                }
                return;
            }
            if (token.Kind == HoconTokenKind.CloseBrace)
            {
                if (openBrace is null)
                {
                    throw Error(token, "unbalanced braces: '}' without a matching '{'");
                }
                _index++;
                return;
            }
            if (token.Kind is HoconTokenKind.UnquotedText && token.Text == "include" && IsIncludeStatement())
            {
                ParseInclude(target, objectPath);
            }
            else
            {
                ParseField(target, objectPath);
            }

            SkipWhitespace();
            var after = Current;
            switch (after.Kind)
            {
                case HoconTokenKind.Comma:
                    _index++;
                    SkipWhitespaceAndNewlines();
                    if (Current.Kind == HoconTokenKind.Comma)
                    {
                        throw Error(Current, "two commas in a row: a field is missing");
                    }
                    break;
                case HoconTokenKind.Newline:
                case HoconTokenKind.CloseBrace:
                case HoconTokenKind.EndOfFile:
                    break;
                default:
                    throw Error(after, $"expected ',' or a new line after a field, found {after.Describe()}");
            }
        }
    }

    private bool IsIncludeStatement()
    {
        var next = _index + 1;
        if (_tokens[next].Kind is not (HoconTokenKind.Whitespace or HoconTokenKind.Newline))
        {
            return false;
        }
        while (_tokens[next].Kind is HoconTokenKind.Whitespace or HoconTokenKind.Newline)
        {
            next++;
        }
        var candidate = _tokens[next];
        return candidate.Kind == HoconTokenKind.QuotedString
            || (candidate.Kind == HoconTokenKind.UnquotedText && candidate.Text.Contains('('));
    }

    private void ParseInclude(HoconObject target, IReadOnlyList<string> objectPath)
    {
        var includeToken = Current;
        _index++;
        SkipWhitespaceAndNewlines();

        var wrappers = new List<string>();
        var text = new StringBuilder();
        string? resourceName = null;
        while (true)
        {
            var token = Current;
            if (token.Kind == HoconTokenKind.QuotedString && resourceName is null)
            {
                resourceName = token.Text;
                wrappers.AddRange(text.ToString().Split('(').Select(w => w.Trim()).Where(w => w.Length > 0));
                text.Clear();
            }
            else if (token.Kind is HoconTokenKind.UnquotedText or HoconTokenKind.Whitespace)
            {
                text.Append(token.Text);
            }
            else
            {
                break;
            }
            _index++;
            if (resourceName is not null && text.ToString().Count(c => c == ')') == wrappers.Count)
            {
                break;
            }
        }

        if (resourceName is null || text.ToString().Replace(" ", "").Replace("\t", "") != new string(')', wrappers.Count))
        {
            throw Error(includeToken, "include must be followed by a quoted file name, optionally wrapped as file(\"...\") or required(\"...\")");
        }

        var required = false;
        foreach (var wrapper in wrappers)
        {
            switch (wrapper)
            {
                case "required" when !required:
                    required = true;
                    break;
                case "file":
                    break;
                case "url":
                case "classpath":
                    throw Error(includeToken, $"include {wrapper}(...) is not supported; use a file path");
                default:
                    throw Error(includeToken, $"unknown include form '{wrapper}(' (expected file(...) or required(...))");
            }
        }

        var included = _includer.Include(resourceName, required, OriginOf(includeToken));
        if (objectPath.Count > 0)
        {
            HoconTreeMerger.PrefixSubstitutions(included, new HoconPath(objectPath));
        }
        foreach (var (key, value) in included.Fields)
        {
            HoconTreeMerger.MergeField(target, key, value);
        }
    }

    private void ParseField(HoconObject target, IReadOnlyList<string> objectPath)
    {
        var keyToken = Current;
        var key = ParseKey();
        SkipWhitespaceAndNewlines();

        var separator = Current;
        HoconValue value;
        var fieldPath = objectPath.Concat(key.Segments).ToList();
        switch (separator.Kind)
        {
            case HoconTokenKind.Colon:
            case HoconTokenKind.Equals:
                _index++;
                SkipWhitespaceAndNewlines();
                value = ParseValue(fieldPath, key);
                break;
            case HoconTokenKind.PlusEquals:
                _index++;
                SkipWhitespaceAndNewlines();
                value = AppendToArray(fieldPath, ParseValue(fieldPath, key), OriginOf(separator));
                break;
            case HoconTokenKind.OpenBrace:
                value = ParseValue(fieldPath, key);
                break;
            default:
                throw Error(separator, $"expected ':', '=' or '{{' after key '{key}', found {separator.Describe()}");
        }

        // a.b.c = v is the same as a { b { c = v } }
        for (var i = key.Segments.Count - 1; i > 0; i--)
        {
            var wrapper = new HoconObject(OriginOf(keyToken));
            wrapper.Set(key.Segments[i], value);
            value = wrapper;
        }
        HoconTreeMerger.MergeField(target, key.Segments[0], value);
    }

    /// <summary><c>a += v</c> means <c>a = ${?a} [v]</c>.</summary>
    private static HoconValue AppendToArray(IReadOnlyList<string> fieldPath, HoconValue value, HoconOrigin origin)
    {
        var self = new HoconSubstitution(new HoconPath(fieldPath), optional: true, origin);
        return new HoconConcatenation([self, new HoconArray([value], value.Origin)], origin);
    }

    private HoconPath ParseKey()
    {
        var start = Current;
        var segments = new List<string>();
        var current = new StringBuilder();
        var currentHasContent = false;
        var pendingWhitespace = "";
        while (true)
        {
            var token = Current;
            if (token.Kind == HoconTokenKind.QuotedString)
            {
                current.Append(pendingWhitespace).Append(token.Text);
                pendingWhitespace = "";
                currentHasContent = true;
            }
            else if (token.Kind == HoconTokenKind.UnquotedText)
            {
                current.Append(pendingWhitespace);
                pendingWhitespace = "";
                var parts = token.Text.Split('.');
                for (var i = 0; i < parts.Length; i++)
                {
                    if (i > 0)
                    {
                        if (!currentHasContent)
                        {
                            throw Error(token, $"invalid key '{token.Text}': empty path segment (leading, trailing or doubled '.'); quote keys that contain '.' or are empty");
                        }
                        segments.Add(current.ToString());
                        current.Clear();
                        currentHasContent = false;
                    }
                    if (parts[i].Length > 0)
                    {
                        current.Append(parts[i]);
                        currentHasContent = true;
                    }
                }
            }
            else if (token.Kind == HoconTokenKind.Whitespace && (currentHasContent || segments.Count > 0))
            {
                pendingWhitespace += token.Text;
            }
            else
            {
                break;
            }
            _index++;
        }
        if (!currentHasContent)
        {
            throw segments.Count == 0
                ? Error(start, $"expected a key, found {start.Describe()}")
                : Error(start, "invalid key: it ends with '.'");
        }
        segments.Add(current.ToString());
        // Whitespace right before the separator was collected as pending and is dropped here.
        return new HoconPath(segments);
    }

    /// <summary>Reads adjacent values on one line; more than one makes a concatenation.</summary>
    private HoconValue ParseValue(IReadOnlyList<string> fieldPath, HoconPath? key)
    {
        var start = Current;
        var pieces = new List<HoconValue>();
        HoconWhitespace? pendingWhitespace = null;
        while (true)
        {
            var token = Current;
            HoconValue? piece = token.Kind switch
            {
                HoconTokenKind.QuotedString => new HoconScalar(HoconScalarKind.String, token.Text, OriginOf(token)),
                HoconTokenKind.UnquotedText => UnquotedScalar(token),
                HoconTokenKind.Substitution => Substitution(token),
                HoconTokenKind.OpenBrace => ParseObject(fieldPath),
                HoconTokenKind.OpenBracket => ParseArray(fieldPath),
                _ => null,
            };
            if (piece is null)
            {
                if (token.Kind == HoconTokenKind.Whitespace)
                {
                    pendingWhitespace = new HoconWhitespace(token.Text, OriginOf(token));
                    _index++;
                    continue;
                }
                break;
            }
            if (token.Kind is HoconTokenKind.QuotedString or HoconTokenKind.UnquotedText or HoconTokenKind.Substitution)
            {
                _index++;
            }
            if (pendingWhitespace is not null && pieces.Count > 0)
            {
                pieces.Add(pendingWhitespace);
            }
            pendingWhitespace = null;
            pieces.Add(piece);
        }
        if (pieces.Count == 0)
        {
            if (key is null)
            {
                throw Error(start, $"expected an array element, found {start.Describe()}");
            }
            // Report at the separator: when the value is missing the next token may be lines away.
            var separator = _tokens.Take(_index).Last(t => t.Kind is HoconTokenKind.Colon or HoconTokenKind.Equals or HoconTokenKind.PlusEquals or HoconTokenKind.OpenBrace);
            throw Error(separator, $"expected a value for key '{key}' after '{separator.Text}', found {start.Describe()}");
        }
        return pieces.Count == 1 ? pieces[0] : new HoconConcatenation(pieces, pieces[0].Origin);
    }

    private HoconScalar UnquotedScalar(HoconToken token)
    {
        var origin = OriginOf(token);
        return token.Text switch
        {
            "true" or "false" => new HoconScalar(HoconScalarKind.Boolean, token.Text, origin),
            "null" => new HoconScalar(HoconScalarKind.Null, token.Text, origin),
            _ when NumberPattern().IsMatch(token.Text) => new HoconScalar(HoconScalarKind.Number, token.Text, origin),
            _ => new HoconScalar(HoconScalarKind.String, token.Text, origin),
        };
    }

    private HoconSubstitution Substitution(HoconToken token)
    {
        if (!HoconPath.TryParse(token.Text, out var path, out var error))
        {
            throw Error(token, $"bad substitution ${{{token.Text}}}: {error}");
        }
        return new HoconSubstitution(path, token.IsOptionalSubstitution, OriginOf(token));
    }

    private HoconObject ParseObject(IReadOnlyList<string> objectPath)
    {
        var open = Current;
        _index++;
        var result = new HoconObject(OriginOf(open));
        ParseFields(result, objectPath, open);
        return result;
    }

    private HoconArray ParseArray(IReadOnlyList<string> fieldPath)
    {
        var open = Current;
        _index++;
        var items = new List<HoconValue>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Current;
            if (token.Kind == HoconTokenKind.CloseBracket)
            {
                _index++;
                return new HoconArray(items, OriginOf(open));
            }
            if (token.Kind == HoconTokenKind.EndOfFile)
            {
                throw Error(open, "unbalanced brackets: '[' is never closed");
            }
            items.Add(ParseValue(fieldPath, null));
            SkipWhitespace();
            var after = Current;
            switch (after.Kind)
            {
                case HoconTokenKind.Comma:
                    _index++;
                    break;
                case HoconTokenKind.Newline:
                case HoconTokenKind.CloseBracket:
                    break;
                case HoconTokenKind.EndOfFile:
                    throw Error(open, "unbalanced brackets: '[' is never closed");
                default:
                    throw Error(after, $"expected ',' or ']' in array, found {after.Describe()}");
            }
        }
    }
}
