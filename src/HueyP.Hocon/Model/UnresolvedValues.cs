namespace HueyP.Hocon;

/// <summary><c>${a.b}</c> or <c>${?a.b}</c>.</summary>
internal sealed class HoconSubstitution : HoconValue
{
    public HoconSubstitution(HoconPath path, bool optional, HoconOrigin origin) : base(origin)
    {
        Path = path;
        WrittenPath = path;
        Optional = optional;
    }

    /// <summary>The path looked up first; for included files it is prefixed with the include location.</summary>
    public HoconPath Path { get; set; }

    /// <summary>The path as written in the file; the fallback for included files and the environment variable name.</summary>
    public HoconPath WrittenPath { get; }

    public bool Optional { get; }

    internal override bool IsUnresolved => true;

    public override string ToString() => Optional ? $"${{?{WrittenPath}}}" : $"${{{WrittenPath}}}";
}

/// <summary>Adjacent values on one line: strings join (keeping inner whitespace), arrays append, objects merge.</summary>
internal sealed class HoconConcatenation : HoconValue
{
    public HoconConcatenation(IReadOnlyList<HoconValue> pieces, HoconOrigin origin) : base(origin) => Pieces = pieces;

    /// <summary>Values interleaved with <see cref="HoconWhitespace"/> pieces, which only matter for string results.</summary>
    public IReadOnlyList<HoconValue> Pieces { get; }

    internal override bool IsUnresolved => true;
}

internal sealed class HoconWhitespace : HoconValue
{
    public HoconWhitespace(string text, HoconOrigin origin) : base(origin) => Text = text;

    public string Text { get; }
}

/// <summary>
/// Successive definitions of one field that cannot be merged before substitutions are known
/// (e.g. <c>path = ${path} ":more"</c>); resolved bottom-up so a self-reference sees the layers below it.
/// </summary>
internal sealed class HoconMergeStack : HoconValue
{
    public HoconMergeStack(IReadOnlyList<HoconValue> layers, HoconOrigin origin) : base(origin) => Layers = layers;

    public IReadOnlyList<HoconValue> Layers { get; }

    internal override bool IsUnresolved => true;
}
