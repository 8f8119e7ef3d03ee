using HueyP.Actors;
using HueyP.Domain.Constraints;

namespace HueyP.Engine.Gates;

/// <summary>Replies <see cref="ConstraintRepository"/>.</summary>
public sealed record GetConstraints
{
    public static readonly GetConstraints Instance = new();
}

/// <summary>The constraint set every symbol was started with, and where it came from.</summary>
public sealed record ConstraintRepository(string Source, IReadOnlyList<ConstraintDefinition> Constraints)
{
    /// <summary>
    /// Loads and parses every condition now, so a syntax error stops the engine at start with the constraint's id and
    /// column (ConstraintLoader's messages) rather than surfacing on the first signal.
    /// </summary>
    public static ConstraintRepository Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new EngineStartException([$"{path}: {e.Message}"]);
        }

        try
        {
            return new ConstraintRepository(path, ConstraintLoader.Parse(json));
        }
        catch (ConstraintConfigurationException e)
        {
            throw new EngineStartException(e.Errors.Select(error => $"{path}: {error}").ToList());
        }
    }
}

/// <summary>
/// /user/engine/gates: holds the constraint repository the symbols were compiled with and serves it to the CLI.
/// Symbols receive the set at start (inside their decision options), so gating costs no message per decision.
/// </summary>
internal sealed class GatesActor : ReceiveActor
{
    public GatesActor(ConstraintRepository repository)
    {
        Receive<GetConstraints>(_ => Sender.Tell(repository));
    }

    public static Props Props(ConstraintRepository repository) => Actors.Props.Create(() => new GatesActor(repository));
}
