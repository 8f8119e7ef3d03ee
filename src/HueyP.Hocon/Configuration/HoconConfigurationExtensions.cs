using Microsoft.Extensions.Configuration;

namespace HueyP.Hocon;

public static class HoconConfigurationExtensions
{
    /// <summary>
    /// Adds a HOCON file; a missing file is an error unless <paramref name="optional"/>. Parse errors surface when the
    /// configuration is built, as <see cref="HoconParseException"/> naming file, line and column.
    /// </summary>
    public static IConfigurationBuilder AddHoconFile(this IConfigurationBuilder builder, string path, bool optional = false, HoconParseOptions? options = null)
    {
        return builder.Add(new HoconConfigurationSource(() =>
            optional && !File.Exists(path) ? null : HoconParser.ParseFile(path, options)));
    }

    public static IConfigurationBuilder AddHoconString(this IConfigurationBuilder builder, string text, string originName = "<string>", HoconParseOptions? options = null)
    {
        return builder.Add(new HoconConfigurationSource(() => HoconParser.ParseString(text, originName, options)));
    }

    /// <summary>Adds an already parsed tree, e.g. reference.conf merged with the user's file.</summary>
    public static IConfigurationBuilder AddHoconConfig(this IConfigurationBuilder builder, HoconConfig config)
    {
        return builder.Add(new HoconConfigurationSource(() => config));
    }
}
