namespace HueyP.Cluster.Member;

/// <summary>
/// What a node does with the lease: begin trading when it wins an epoch, and stop in order (stop intake, drain,
/// persist, stop actors) when it loses or hands it over. The node's host implements it around its engine.
/// </summary>
public interface ITradingTerm
{
    /// <summary>Recovers from the journal and starts the engine; writes carry <paramref name="epoch"/>.</summary>
    Task BeginAsync(long epoch, CancellationToken ct);

    /// <summary>Stops accepting commands, drains, persists and stops the engine subtree. Idempotent.</summary>
    Task EndAsync(string reason, CancellationToken ct);
}
