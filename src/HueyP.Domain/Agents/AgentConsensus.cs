namespace HueyP.Domain.Agents;

public sealed record ConsensusResult(
    AgentAction Action,
    double Support,
    IReadOnlyList<AgentVote> Votes,
    string? VetoedBy,
    string Reason);

/// <summary>
/// Runs the five agents and combines their votes: each vote adds weight × confidence to its action, the heaviest
/// action wins, ties go to the more conservative action, and the risk agent's EMERGENCY_STOP overrides everything.
/// </summary>
public sealed class AgentCouncil
{
    private readonly (IAgent Agent, double Weight)[] _members;

    public AgentCouncil(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Strategy.InvalidOptionsException.ThrowIfAny(options.Validate());
        _members =
        [
            (new RiskAgent(options), options.RiskWeight),
            (new MarketAgent(options), options.MarketWeight),
            (new ExecutionAgent(options), options.ExecutionWeight),
            (new SystemAgent(options), options.SystemWeight),
            (new ComplianceAgent(), options.ComplianceWeight),
        ];
    }

    public ConsensusResult Decide(AgentSituation situation)
    {
        ArgumentNullException.ThrowIfNull(situation);
        var votes = new List<AgentVote>(_members.Length);
        var weights = new Dictionary<string, double>(_members.Length);
        foreach (var (agent, weight) in _members)
        {
            votes.Add(agent.Analyse(situation));
            weights[agent.Name] = weight;
        }
        return Combine(votes, weights);
    }

    public static ConsensusResult Combine(IReadOnlyList<AgentVote> votes, IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(votes);
        if (votes.Count == 0) throw new ArgumentException("Consensus needs at least one vote.", nameof(votes));

        var veto = votes.FirstOrDefault(v => v.Agent == RiskAgent.AgentName && v.Action == AgentAction.EmergencyStop);
        if (veto is not null)
            return new ConsensusResult(AgentAction.EmergencyStop, 1.0, votes, veto.Agent, $"risk veto: {veto.Reason}");

        var tally = new double[Enum.GetValues<AgentAction>().Length];
        var total = 0.0;
        foreach (var vote in votes)
        {
            var weight = weights.TryGetValue(vote.Agent, out var w) ? w : 1.0;
            var confidence = double.IsFinite(vote.Confidence) ? Math.Clamp(vote.Confidence, 0, 1) : 0;
            tally[(int)vote.Action] += weight * confidence;
            total += weight * confidence;
        }

        var winner = AgentAction.EmergencyStop;
        for (var i = tally.Length - 1; i >= 0; i--)
            if (tally[i] > tally[(int)winner]) winner = (AgentAction)i;
        var support = total > 0 ? tally[(int)winner] / total : 0;
        if (total == 0) winner = AgentAction.Hold; // nobody was confident about anything: do not trade on silence
        var reasons = string.Join("; ", votes.Where(v => v.Action == winner).Select(v => $"{v.Agent}: {v.Reason}"));
        return new ConsensusResult(winner, support, votes, null, $"{winner.Name()} ({support:P0} of weighted confidence){(reasons.Length > 0 ? " - " + reasons : "")}");
    }
}
