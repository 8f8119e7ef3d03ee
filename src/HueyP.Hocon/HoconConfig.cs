using System.Globalization;
using System.Numerics;
using HueyP.Hocon.Syntax;

namespace HueyP.Hocon;

/// <summary>A resolved configuration tree with typed getters. Paths are HOCON path expressions (<c>a.b."c.d"</c>).</summary>
public sealed class HoconConfig
{
    public HoconConfig(HoconObject root) => Root = root;

    public HoconObject Root { get; }

    /// <summary>Top-level keys in definition order.</summary>
    public IEnumerable<string> Keys => Root.Keys;

    public HoconValue? GetValueOrNull(string path)
    {
        HoconValue current = Root;
        foreach (var segment in HoconPath.Parse(path).Segments)
        {
            if (current is not HoconObject obj || !obj.TryGetValue(segment, out var child))
            {
                return null;
            }
            current = child;
        }
        return current;
    }

    /// <summary>True if the path holds a non-null value (as in the reference implementation).</summary>
    public bool HasPath(string path) => GetValueOrNull(path) is { } value && value is not HoconScalar { IsNull: true };

    public HoconOrigin? Origin(string path) => GetValueOrNull(path)?.Origin;

    public HoconValue GetValue(string path) =>
        GetValueOrNull(path) ?? throw new HoconConfigException(path, null, "missing: no setting at this path");

    public string GetString(string path) => Scalar(path, "a string").Text;

    public bool GetBoolean(string path)
    {
        var scalar = Scalar(path, "a boolean");
        return HoconBoolean.TryParse(scalar.Text, out var value)
            ? value
            : throw WrongType(path, scalar, "a boolean (true/false, yes/no, on/off)");
    }

    public int GetInt(string path)
    {
        var value = GetLong(path);
        return value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new HoconConfigException(path, GetValue(path).Origin, $"{value} is out of range for a 32-bit integer");
    }

    public long GetLong(string path)
    {
        var scalar = Scalar(path, "a whole number");
        if (scalar.Kind != HoconScalarKind.Boolean)
        {
            if (long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                return whole;
            }
            if (double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                && real == Math.Floor(real) && real is >= long.MinValue and <= long.MaxValue)
            {
                return (long)real;
            }
        }
        throw WrongType(path, scalar, "a whole number");
    }

    public double GetDouble(string path)
    {
        var scalar = Scalar(path, "a number");
        return scalar.Kind != HoconScalarKind.Boolean
            && double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw WrongType(path, scalar, "a number");
    }

    /// <summary>"500ms", "2 s", "10 minutes"; a bare number is milliseconds.</summary>
    public TimeSpan GetDuration(string path)
    {
        var scalar = Scalar(path, "a duration");
        return HoconDuration.TryParse(scalar.Text, out var duration, out var error)
            ? duration
            : throw new HoconConfigException(path, scalar.Origin, error);
    }

    public long GetDurationNanoseconds(string path)
    {
        var scalar = Scalar(path, "a duration");
        return HoconDuration.TryParseNanoseconds(scalar.Text, out var nanoseconds, out var error)
            ? nanoseconds
            : throw new HoconConfigException(path, scalar.Origin, error);
    }

    /// <summary>"64KB" (64000), "64KiB" or "64K" (65536), "10 MB"; a bare number is bytes.</summary>
    public long GetByteSize(string path)
    {
        var scalar = Scalar(path, "a size in bytes");
        return HoconByteSize.TryParse(scalar.Text, out var bytes, out var error)
            ? bytes
            : throw new HoconConfigException(path, scalar.Origin, error);
    }

    public BigInteger GetByteSizeBig(string path)
    {
        var scalar = Scalar(path, "a size in bytes");
        return HoconByteSize.TryParseBig(scalar.Text, out var bytes, out var error)
            ? bytes
            : throw new HoconConfigException(path, scalar.Origin, error);
    }

    public IReadOnlyList<HoconValue> GetList(string path) => GetValue(path) switch
    {
        HoconArray array => array.Items,
        HoconScalar { IsNull: true } nullValue => throw new HoconConfigException(path, nullValue.Origin, "is null"),
        var other => throw WrongType(path, other, "a list"),
    };

    public IReadOnlyList<string> GetStringList(string path) =>
        GetList(path).Select((item, index) => item is HoconScalar { IsNull: false } scalar
            ? scalar.Text
            : throw WrongType($"{path}[{index}]", item, "a string")).ToList();

    public IReadOnlyList<int> GetIntList(string path) => ListOf(path, (itemPath, config) => config.GetInt(itemPath));

    public IReadOnlyList<bool> GetBooleanList(string path) => ListOf(path, (itemPath, config) => config.GetBoolean(itemPath));

    public IReadOnlyList<HoconConfig> GetConfigList(string path) => ListOf(path, (itemPath, config) => config.GetConfig(itemPath));

    /// <summary>Reuses the scalar getters on each element by wrapping it as the single field of a throw-away object.</summary>
    private IReadOnlyList<T> ListOf<T>(string path, Func<string, HoconConfig, T> read)
    {
        var items = GetList(path);
        var result = new List<T>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var holder = new HoconObject(items[i].Origin);
            holder.Set("item", items[i]);
            try
            {
                result.Add(read("item", new HoconConfig(holder)));
            }
            catch (HoconConfigException error)
            {
                throw new HoconConfigException($"{path}[{i}]", items[i].Origin, error.Reason);
            }
        }
        return result;
    }

    /// <summary>"1d", "3 weeks", "5 mo", "8y"; a bare number is days.</summary>
    public HoconPeriod GetPeriod(string path)
    {
        var scalar = Scalar(path, "a period");
        return HoconPeriod.TryParse(scalar.Text, out var period, out var error)
            ? period
            : throw new HoconConfigException(path, scalar.Origin, error);
    }

    public HoconConfig GetConfig(string path) => GetValue(path) switch
    {
        HoconObject obj => new HoconConfig(obj),
        HoconScalar { IsNull: true } nullValue => throw new HoconConfigException(path, nullValue.Origin, "is null"),
        var other => throw WrongType(path, other, "an object"),
    };

    /// <summary>Settings of this config win; <paramref name="fallback"/> fills what is missing, objects merge deeply.</summary>
    public HoconConfig WithFallback(HoconConfig fallback) => new(HoconTreeMerger.MergeResolved(Root, fallback.Root));

    /// <summary>Every scalar and array with its path, depth first in definition order; empty objects are skipped.</summary>
    public IEnumerable<KeyValuePair<string, HoconValue>> Entries() => Entries(Root, []);

    private static IEnumerable<KeyValuePair<string, HoconValue>> Entries(HoconObject obj, List<string> prefix)
    {
        foreach (var (key, value) in obj.Fields)
        {
            var path = new List<string>(prefix) { key };
            if (value is HoconObject child)
            {
                foreach (var entry in Entries(child, path))
                {
                    yield return entry;
                }
            }
            else
            {
                yield return new(HoconPath.Join(path), value);
            }
        }
    }

    private HoconScalar Scalar(string path, string expected) => GetValue(path) switch
    {
        HoconScalar { IsNull: true } nullValue => throw new HoconConfigException(path, nullValue.Origin, $"is null, expected {expected}"),
        HoconScalar scalar => scalar,
        var other => throw WrongType(path, other, expected),
    };

    private static HoconConfigException WrongType(string path, HoconValue value, string expected)
    {
        var actual = value switch
        {
            HoconObject => "an object",
            HoconArray => "a list",
            HoconScalar scalar => $"'{scalar.Text}'",
            _ => "an unresolved value",
        };
        return new HoconConfigException(path, value.Origin, $"expected {expected}, found {actual}");
    }
}
