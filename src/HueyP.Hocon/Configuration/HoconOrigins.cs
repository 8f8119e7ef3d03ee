using Microsoft.Extensions.Configuration;

namespace HueyP.Hocon;

/// <summary>Finds where a configuration key's effective value was written, for validation messages.</summary>
public static class HoconOrigins
{
    /// <summary>
    /// True when the provider that wins for <paramref name="key"/> (e.g. <c>hueyp:admin:port</c>) is a HOCON one;
    /// false when the key is missing or a later non-HOCON source (environment, command line) overrides it.
    /// </summary>
    public static bool TryGet(IConfiguration configuration, string key, out HoconOrigin origin)
    {
        origin = null!;
        if (configuration is not IConfigurationRoot root)
        {
            return false;
        }
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider is HoconConfigurationProvider hocon && hocon.TryGetOrigin(key, out origin))
            {
                return true;
            }
            if (provider.TryGet(key, out _) || provider.GetChildKeys([], key).Any())
            {
                return false;
            }
        }
        return false;
    }

    /// <summary><c>hueyp:admin:port</c> → <c>hueyp.admin.port</c>, the spelling users see in their files.</summary>
    public static string ToHoconPath(string configurationKey) =>
        HoconPath.Join(configurationKey.Split(ConfigurationPath.KeyDelimiter));

    /// <summary><c>hueyp.admin.port</c> → <c>hueyp:admin:port</c>.</summary>
    public static string ToConfigurationKey(string hoconPath) =>
        string.Join(ConfigurationPath.KeyDelimiter, HoconPath.Parse(hoconPath).Segments);
}
