using HueyP.Domain.Agents;

namespace HueyP.Engine.Agents;

/// <summary>A symbol's decision as the agents voted on it (the decision itself was taken inside the domain façade).</summary>
public sealed record AgentVotesObserved(string Symbol, DateTime DecisionTimeUtc, AgentAction Consensus, IReadOnlyList<AgentVote> Votes);

/// <summary>One agent's vote on one symbol's latest decision.</summary>
public sealed record AgentVoteSeen(string Symbol, DateTime DecisionTimeUtc, AgentVote Vote);

/// <summary>Replies <see cref="AgentsStatus"/> (to the agents parent) or <see cref="AgentStatus"/> (to one agent).</summary>
public sealed record GetAgentStatus
{
    public static readonly GetAgentStatus Instance = new();
}

/// <summary>What one agent said most recently, per symbol, and how its votes split.</summary>
public sealed record AgentStatus(
    string Agent,
    long Votes,
    IReadOnlyDictionary<AgentAction, long> VotesByAction,
    IReadOnlyList<AgentVoteSeen> LatestBySymbol);

public sealed record AgentsStatus(IReadOnlyList<AgentStatus> Agents);
