namespace HueyP.Hocon;

/// <summary>Where a value was written: the file (as the user named it) and the 1-based line and column.</summary>
public sealed record HoconOrigin(string File, int Line, int Column = 0)
{
    public override string ToString() => $"{File}:{Line}";
}
