using System.Text;

namespace HueyP.Hocon;

/// <summary>A path expression such as <c>a.b."c.d"</c>, held as its key segments.</summary>
public sealed class HoconPath : IEquatable<HoconPath>
{
    public HoconPath(IEnumerable<string> segments)
    {
        Segments = segments.ToArray();
        if (Segments.Count == 0)
        {
            throw new ArgumentException("A path needs at least one segment.", nameof(segments));
        }
    }

    public IReadOnlyList<string> Segments { get; }

    public static HoconPath Parse(string expression)
    {
        return TryParse(expression, out var path, out var error)
            ? path
            : throw new HoconConfigException(expression, null, $"invalid path expression: {error}");
    }

    /// <summary>
    /// Parses a path expression: unquoted parts split on '.', quoted parts are taken literally,
    /// surrounding whitespace is ignored and whitespace between parts is kept.
    /// </summary>
    public static bool TryParse(string expression, out HoconPath path, out string error)
    {
        path = null!;
        var text = expression.Trim();
        if (text.Length == 0)
        {
            error = "path is empty";
            return false;
        }

        var segments = new List<string>();
        var current = new StringBuilder();
        var currentHasContent = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                if (!TryReadQuoted(text, ref i, current, out error))
                {
                    return false;
                }
                currentHasContent = true;
                continue;
            }
            if (c == '.')
            {
                if (!currentHasContent)
                {
                    error = $"'{expression}' has an empty segment (leading, trailing or doubled '.'); quote empty keys as \"\"";
                    return false;
                }
                segments.Add(current.ToString());
                current.Clear();
                currentHasContent = false;
                i++;
                continue;
            }
            current.Append(c);
            currentHasContent = true;
            i++;
        }
        if (!currentHasContent)
        {
            error = $"'{expression}' ends with '.'";
            return false;
        }
        segments.Add(current.ToString());
        path = new HoconPath(segments);
        error = "";
        return true;
    }

    private static bool TryReadQuoted(string text, ref int i, StringBuilder target, out string error)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                error = "";
                return true;
            }
            if (c == '\\' && i + 1 < text.Length)
            {
                target.Append(text[i + 1] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    var other => other,
                });
                i += 2;
                continue;
            }
            target.Append(c);
            i++;
        }
        error = "unterminated quoted key";
        return false;
    }

    public HoconPath Append(string segment) => new(Segments.Append(segment));

    public HoconPath Prepend(HoconPath prefix) => new(prefix.Segments.Concat(Segments));

    public bool StartsWith(HoconPath prefix)
    {
        if (prefix.Segments.Count > Segments.Count)
        {
            return false;
        }
        for (var i = 0; i < prefix.Segments.Count; i++)
        {
            if (!string.Equals(prefix.Segments[i], Segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Renders the path so that <see cref="Parse"/> gives it back; segments needing it are quoted.</summary>
    public override string ToString() => string.Join('.', Segments.Select(QuoteIfNeeded));

    public static string QuoteIfNeeded(string segment)
    {
        var safe = segment.Length > 0 && segment.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '/' or '%');
        return safe ? segment : "\"" + segment.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    }

    public static string Join(IEnumerable<string> segments) => string.Join('.', segments.Select(QuoteIfNeeded));

    public bool Equals(HoconPath? other) => other is not null && Segments.SequenceEqual(other.Segments);

    public override bool Equals(object? obj) => Equals(obj as HoconPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var segment in Segments)
        {
            hash.Add(segment);
        }
        return hash.ToHashCode();
    }
}
