namespace HueyP.Engine;

/// <summary>The engine refused to start; every problem found is listed (e.g. each bad constraint with id and column).</summary>
public sealed class EngineStartException(IReadOnlyList<string> errors)
    : Exception("The engine cannot start:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
