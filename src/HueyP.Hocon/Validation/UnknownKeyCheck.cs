namespace HueyP.Hocon;

/// <summary>A setting the application does not know, most often a typo.</summary>
public sealed record UnknownKey(string Key, HoconOrigin Origin, string? Suggestion)
{
    public ConfigValidationError ToValidationError() => ConfigValidationError.For(Key, Origin,
        Suggestion is null ? "unknown setting" : $"unknown setting; did you mean {Suggestion}?");

    public override string ToString() => ToValidationError().ToString();
}

/// <summary>
/// Reports settings under a prefix that no known key matches. Known keys usually come from reference.conf;
/// a segment <c>*</c> in a known key accepts any name there (for maps such as <c>hueyp.accounts.*.login</c>).
/// </summary>
public static class UnknownKeyCheck
{
    public static IReadOnlyList<UnknownKey> Find(HoconConfig config, HoconConfig reference, string prefix) =>
        Find(config, reference.Entries().Select(entry => entry.Key), prefix);

    public static IReadOnlyList<UnknownKey> Find(HoconConfig config, IEnumerable<string> knownPaths, string prefix)
    {
        var known = knownPaths.Select(path => HoconPath.Parse(path).Segments).ToList();
        var prefixSegments = prefix.Length == 0 ? [] : HoconPath.Parse(prefix).Segments;
        var unknown = new List<UnknownKey>();
        foreach (var (path, value) in config.Entries())
        {
            var segments = HoconPath.Parse(path).Segments;
            if (!StartsWith(segments, prefixSegments) || known.Any(k => Matches(k, segments)))
            {
                continue;
            }
            unknown.Add(new UnknownKey(path, value.Origin, Suggest(path, known)));
        }
        return unknown;
    }

    private static bool StartsWith(IReadOnlyList<string> segments, IReadOnlyList<string> prefix) =>
        segments.Count >= prefix.Count && prefix.Select((p, i) => p == segments[i]).All(same => same);

    /// <summary>
    /// The user's key is fine when it equals a known key, or is an ancestor of one (the user set a whole
    /// object to null or to a list).
    /// </summary>
    private static bool Matches(IReadOnlyList<string> knownKey, IReadOnlyList<string> userKey)
    {
        if (userKey.Count > knownKey.Count)
        {
            return false;
        }
        for (var i = 0; i < userKey.Count; i++)
        {
            if (knownKey[i] != "*" && knownKey[i] != userKey[i])
            {
                return false;
            }
        }
        return true;
    }

    private static string? Suggest(string path, IReadOnlyList<IReadOnlyList<string>> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known.Select(HoconPath.Join).Distinct())
        {
            var distance = EditDistance(path, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        // Beyond roughly a third of the key the "suggestion" is noise rather than a likely typo.
        return best is not null && bestDistance <= Math.Max(2, path.Length / 3) ? best : null;
    }

    internal static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
