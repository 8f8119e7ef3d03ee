namespace HueyP.Hocon;

/// <summary>Base class of every error this library raises.</summary>
public class HoconException : Exception
{
    public HoconException(string message) : base(message) { }
}

/// <summary>The text could not be turned into a configuration tree: syntax, include or substitution problem.</summary>
public sealed class HoconParseException : HoconException
{
    public HoconParseException(string file, int line, int column, string reason)
        : base(column > 0 ? $"{file}:{line}:{column}: {reason}" : $"{file}:{line}: {reason}")
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
    }

    public HoconParseException(HoconOrigin origin, string reason) : this(origin.File, origin.Line, origin.Column, reason) { }

    public string File { get; }
    public int Line { get; }
    public int Column { get; }
    public string Reason { get; }
}

/// <summary>A typed getter could not deliver: missing path, null, wrong type or unparseable value.</summary>
public sealed class HoconConfigException : HoconException
{
    public HoconConfigException(string path, HoconOrigin? origin, string reason)
        : base(origin is null ? $"{path}: {reason}" : $"{path} ({origin}): {reason}")
    {
        Path = path;
        Origin = origin;
        Reason = reason;
    }

    public string Reason { get; }

    public string Path { get; }
    public HoconOrigin? Origin { get; }
}
