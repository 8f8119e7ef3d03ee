namespace HueyP.Hocon.Tests;

internal static class Hocon
{
    /// <summary>No real environment variables leak into tests unless a test passes its own.</summary>
    public static HoconConfig Parse(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        HoconParser.ParseString(text, "test.conf", Options(environment));

    public static HoconParseOptions Options(IReadOnlyDictionary<string, string>? environment = null) =>
        new() { EnvironmentVariables = name => environment is not null && environment.TryGetValue(name, out var value) ? value : null };

    public static HoconParseException ParseError(string text) =>
        Assert.Throws<HoconParseException>(() => Parse(text));
}

/// <summary>A throw-away folder for include tests; files are written relative to it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hueyp-hocon-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
