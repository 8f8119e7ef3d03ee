using HueyP.Actors;
using HueyP.Domain.Agents;

namespace HueyP.Engine.Agents;

/// <summary>
/// /user/engine/agents/&lt;name&gt;: a read model of one agent for the CLI — its latest vote per symbol and a tally.
/// It decides nothing; decisions stay deterministic inside the symbol's domain façade.
/// </summary>
internal sealed class AgentActor : ReceiveActor
{
    private readonly Dictionary<string, AgentVoteSeen> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<AgentAction, long> _byAction = new();
    private long _votes;

    public AgentActor(string name)
    {
        Receive<AgentVoteSeen>(seen =>
        {
            _votes++;
            _byAction[seen.Vote.Action] = _byAction.GetValueOrDefault(seen.Vote.Action) + 1;
            _latest[seen.Symbol] = seen;
        });
        Receive<GetAgentStatus>(_ => Sender.Tell(new AgentStatus(
            name, _votes, new Dictionary<AgentAction, long>(_byAction),
            _latest.Values.OrderBy(v => v.Symbol, StringComparer.Ordinal).ToList())));
    }

    public static Props Props(string name) => Actors.Props.Create(() => new AgentActor(name));
}
