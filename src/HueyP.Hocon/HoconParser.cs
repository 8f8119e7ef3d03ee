using HueyP.Hocon.Resolution;
using HueyP.Hocon.Syntax;

namespace HueyP.Hocon;

/// <summary>Entry point: text or files in, a resolved <see cref="HoconConfig"/> out.</summary>
public static class HoconParser
{
    /// <summary>Parses and resolves one file; includes are found relative to it. Error messages name the file as given here.</summary>
    public static HoconConfig ParseFile(string path, HoconParseOptions? options = null) => ParseFiles([path], options);

    /// <summary>
    /// Merges several files before resolving, so a later file can override what an earlier one's substitutions refer to
    /// (e.g. reference.conf first, then the application's file).
    /// </summary>
    public static HoconConfig ParseFiles(IEnumerable<string> pathsLowestPriorityFirst, HoconParseOptions? options = null)
    {
        var includer = new HoconIncluder();
        HoconObject? merged = null;
        foreach (var path in pathsLowestPriorityFirst)
        {
            if (!File.Exists(path))
            {
                throw new HoconParseException(path, 0, 0, "configuration file not found");
            }
            merged = MergeUnresolved(merged, includer.ParseFile(path, null));
        }
        return Resolve(merged ?? new HoconObject(new HoconOrigin("<empty>", 0)), options);
    }

    /// <summary>Parses text; <paramref name="originName"/> appears in errors and origins, and its directory anchors includes.</summary>
    public static HoconConfig ParseString(string text, string originName = "<string>", HoconParseOptions? options = null)
    {
        var root = new HoconIncluder().ParseText(text, originName);
        return Resolve(root, options);
    }

    private static HoconObject MergeUnresolved(HoconObject? lower, HoconObject upper)
    {
        if (lower is null)
        {
            return upper;
        }
        foreach (var (key, value) in upper.Fields)
        {
            HoconTreeMerger.MergeField(lower, key, value);
        }
        return lower;
    }

    private static HoconConfig Resolve(HoconObject root, HoconParseOptions? options)
    {
        var environment = (options ?? HoconParseOptions.Default).EnvironmentVariables;
        return new HoconConfig(new HoconResolver(root, environment).Resolve());
    }
}
