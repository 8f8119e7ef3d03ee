namespace HueyP.Hocon;

/// <summary>A node of a configuration tree. After resolution only objects, arrays and scalars remain.</summary>
public abstract class HoconValue
{
    protected HoconValue(HoconOrigin origin) => Origin = origin;

    public HoconOrigin Origin { get; internal set; }

    /// <summary>True for substitutions, concatenations and merge stacks that still need the resolver.</summary>
    internal virtual bool IsUnresolved => false;
}

public enum HoconScalarKind
{
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>A string, number, boolean or null. Keeps the text as written so "3.14" in a concatenation stays "3.14".</summary>
public sealed class HoconScalar : HoconValue
{
    public HoconScalar(HoconScalarKind kind, string text, HoconOrigin origin) : base(origin)
    {
        Kind = kind;
        Text = text;
    }

    public HoconScalarKind Kind { get; }
    public string Text { get; }

    public bool IsNull => Kind == HoconScalarKind.Null;

    internal HoconScalar WithOrigin(HoconOrigin origin) => new(Kind, Text, origin);

    public override string ToString() => Text;
}

public sealed class HoconArray : HoconValue
{
    public HoconArray(IEnumerable<HoconValue> items, HoconOrigin origin) : base(origin) => Items = items.ToList();

    public IReadOnlyList<HoconValue> Items { get; }
}

/// <summary>An object; fields keep the order in which they were first defined.</summary>
public sealed class HoconObject : HoconValue
{
    private readonly OrderedDictionary<string, HoconValue> _fields = new(StringComparer.Ordinal);

    public HoconObject(HoconOrigin origin) : base(origin) { }

    public IEnumerable<string> Keys => _fields.Keys;
    public int Count => _fields.Count;
    public IEnumerable<KeyValuePair<string, HoconValue>> Fields => _fields;

    public bool TryGetValue(string key, out HoconValue value)
    {
        if (_fields.TryGetValue(key, out var found))
        {
            value = found;
            return true;
        }
        value = null!;
        return false;
    }

    internal void Set(string key, HoconValue value) => _fields[key] = value;
    internal void Remove(string key) => _fields.Remove(key);

    /// <summary>Set while the resolver is working on this object, so a reference to the whole object from inside is a cycle.</summary>
    internal bool IsBeingResolved { get; set; }

    internal bool IsResolved { get; set; }
}
