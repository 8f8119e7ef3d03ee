namespace HueyP.Hocon;

public sealed record HoconParseOptions
{
    public static HoconParseOptions Default { get; } = new();

    /// <summary>Fallback for substitutions not found in the configuration; tests replace it to stay deterministic.</summary>
    public Func<string, string?> EnvironmentVariables { get; init; } = Environment.GetEnvironmentVariable;
}
