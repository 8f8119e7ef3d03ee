using Microsoft.Extensions.Configuration;

namespace HueyP.Hocon;

/// <summary>
/// Exposes a resolved HOCON tree as configuration keys: <c>hueyp.admin.port</c> becomes <c>hueyp:admin:port</c>,
/// array elements become <c>:0</c>, <c>:1</c>… Values stay strings (durations included), and every key keeps its origin.
/// </summary>
public sealed class HoconConfigurationProvider : ConfigurationProvider
{
    private readonly Func<HoconConfig?> _load;
    private Dictionary<string, HoconOrigin> _origins = new(StringComparer.OrdinalIgnoreCase);

    public HoconConfigurationProvider(Func<HoconConfig?> load) => _load = load;

    /// <summary>The tree as last loaded; null when an optional file was missing.</summary>
    public HoconConfig? Config { get; private set; }

    public IReadOnlyDictionary<string, HoconOrigin> Origins => _origins;

    public override void Load()
    {
        Config = _load();
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var origins = new Dictionary<string, HoconOrigin>(StringComparer.OrdinalIgnoreCase);
        if (Config is not null)
        {
            foreach (var (key, value) in Config.Root.Fields)
            {
                Flatten(key, value, data, origins);
            }
        }
        Data = data;
        _origins = origins;
    }

    public bool TryGetOrigin(string key, out HoconOrigin origin) => _origins.TryGetValue(key, out origin!);

    private static void Flatten(string key, HoconValue value, Dictionary<string, string?> data, Dictionary<string, HoconOrigin> origins)
    {
        origins[key] = value.Origin;
        switch (value)
        {
            case HoconObject obj:
                foreach (var (childKey, child) in obj.Fields)
                {
                    Flatten(key + ConfigurationPath.KeyDelimiter + childKey, child, data, origins);
                }
                break;
            case HoconArray array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    Flatten(key + ConfigurationPath.KeyDelimiter + i.ToString(System.Globalization.CultureInfo.InvariantCulture), array.Items[i], data, origins);
                }
                break;
            case HoconScalar scalar:
                data[key] = scalar.IsNull ? null : scalar.Text;
                break;
        }
    }
}

public sealed class HoconConfigurationSource : IConfigurationSource
{
    public HoconConfigurationSource(Func<HoconConfig?> load) => Load = load;

    public Func<HoconConfig?> Load { get; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new HoconConfigurationProvider(Load);
}
