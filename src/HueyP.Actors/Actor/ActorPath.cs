using System.Text;

namespace HueyP.Actors;

/// <summary>Hierarchical, immutable name of an actor: <c>akka://system/user/parent/child</c>.</summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    private ActorPath(string systemName, ActorPath? parent, string name, int depth)
    {
        SystemName = systemName;
        Parent = parent;
        Name = name;
        Depth = depth;
    }

    public string SystemName { get; }

    /// <summary>The parent path; null only for the root path.</summary>
    public ActorPath? Parent { get; }

    public string Name { get; }

    /// <summary>Number of elements below the root (root = 0, /user = 1).</summary>
    public int Depth { get; }

    public string Address => "akka://" + SystemName;

    public ActorPath Root => Parent is null ? this : Parent.Root;

    public static ActorPath CreateRoot(string systemName) => new(systemName, null, "", 0);

    public ActorPath Child(string name) => new(SystemName, this, name, Depth + 1);

    public static ActorPath operator /(ActorPath parent, string name) => parent.Child(name);

    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            for (var p = this; p.Parent is not null; p = p.Parent) elements[p.Depth - 1] = p.Name;
            return elements;
        }
    }

    public string ToStringWithoutAddress()
    {
        if (Parent is null) return "/";
        var builder = new StringBuilder();
        AppendElements(builder);
        return builder.ToString();
    }

    private void AppendElements(StringBuilder builder)
    {
        if (Parent is null) return;
        Parent.AppendElements(builder);
        builder.Append('/').Append(Name);
    }

    public override string ToString() => Address + ToStringWithoutAddress();

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Depth != Depth) return false;
        for (ActorPath? a = this, b = other; a is not null && b is not null; a = a.Parent, b = b.Parent)
        {
            if (ReferenceEquals(a, b)) return true;
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal)) return false;
            if (a.Parent is null) return string.Equals(a.SystemName, b.SystemName, StringComparison.Ordinal);
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var p = this; p is not null; p = p.Parent) hash.Add(p.Name, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    public int CompareTo(ActorPath? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());

    public static bool operator ==(ActorPath? left, ActorPath? right) => Equals(left, right);

    public static bool operator !=(ActorPath? left, ActorPath? right) => !Equals(left, right);

    /// <summary>Valid characters of an actor name, as in Akka (URI path characters, '$' only after the first).</summary>
    public static bool IsValidPathElement(string? name)
    {
        if (string.IsNullOrEmpty(name) || name[0] == '$') return false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsLetterOrDigit(c) || "-_:@&=+,.!~*'$;".Contains(c)) continue;
            if (c == '%' && i + 2 < name.Length && Uri.IsHexDigit(name[i + 1]) && Uri.IsHexDigit(name[i + 2]))
            {
                i += 2;
                continue;
            }
            return false;
        }
        return true;
    }
}
