namespace HueyP.Hocon.Syntax;

/// <summary>
/// Loads files named by <c>include</c>, relative to the including file, and detects include cycles.
/// A name without extension loads name.conf over name.json, as the spec suggests.
/// </summary>
internal sealed class HoconIncluder
{
    private readonly Stack<string> _filesBeingParsed = new();

    /// <summary>Parses a file into an unresolved tree. <paramref name="displayName"/> is what error messages show.</summary>
    public HoconObject ParseFile(string displayName, HoconOrigin? includedFrom)
    {
        var fullPath = Path.GetFullPath(displayName);
        if (_filesBeingParsed.Contains(fullPath, StringComparer.Ordinal))
        {
            var chain = string.Join(" -> ", _filesBeingParsed.Reverse().Append(fullPath).Select(Path.GetFileName));
            throw new HoconParseException(includedFrom ?? new HoconOrigin(displayName, 1), $"include cycle: {chain}");
        }
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (IOException exception)
        {
            throw new HoconParseException(includedFrom ?? new HoconOrigin(displayName, 0), $"cannot read '{displayName}': {exception.Message}");
        }
        _filesBeingParsed.Push(fullPath);
        try
        {
            return ParseText(text, displayName);
        }
        finally
        {
            _filesBeingParsed.Pop();
        }
    }

    public HoconObject ParseText(string text, string originName) => new HoconDocumentParser(text, originName, this).ParseDocument();

    public HoconObject Include(string resourceName, bool required, HoconOrigin includedFrom)
    {
        var directory = Path.GetDirectoryName(includedFrom.File) ?? "";
        var candidate = Path.IsPathRooted(resourceName) ? resourceName : Path.Combine(directory, resourceName);

        if (File.Exists(candidate))
        {
            return ParseFile(candidate, includedFrom);
        }

        if (Path.GetExtension(candidate).Length == 0)
        {
            var found = new[] { ".json", ".conf" }.Select(extension => candidate + extension).Where(File.Exists).ToList();
            if (found.Count > 0)
            {
                var merged = new HoconObject(includedFrom);
                foreach (var file in found)
                {
                    foreach (var (key, value) in ParseFile(file, includedFrom).Fields)
                    {
                        HoconTreeMerger.MergeField(merged, key, value);
                    }
                }
                return merged;
            }
        }

        if (required)
        {
            throw new HoconParseException(includedFrom, $"required include '{resourceName}' not found (looked for {candidate})");
        }
        return new HoconObject(includedFrom);
    }
}
