using HueyP.Actors;

namespace HueyP.Engine.Agents;

/// <summary>/user/engine/agents: starts one <see cref="AgentActor"/> per council member and routes each vote to its agent.</summary>
internal sealed class AgentsActor : ReceiveActor
{
    /// <summary>The members of the domain's agent council.</summary>
    public static readonly IReadOnlyList<string> Names = ["risk", "market", "execution", "system", "compliance"];

    public AgentsActor()
    {
        foreach (var name in Names) Context.ActorOf(AgentActor.Props(name), name);

        Receive<AgentVotesObserved>(observed =>
        {
            foreach (var vote in observed.Votes)
                AgentFor(vote.Agent).Tell(new AgentVoteSeen(observed.Symbol, observed.DecisionTimeUtc, vote), Self);
        });
        ReceiveAsync<GetAgentStatus>(async request =>
        {
            var replyTo = Sender;
            var statuses = await Task.WhenAll(Context.GetChildren().Select(child => child.Ask<AgentStatus>(request)));
            replyTo.Tell(new AgentsStatus(statuses.OrderBy(s => s.Agent, StringComparer.Ordinal).ToList()));
        });
    }

    public static Props Props() => Actors.Props.Create(() => new AgentsActor());

    private IActorRef AgentFor(string name)
    {
        var child = Context.Child(name);
        // A vote from an agent the council gained later still gets a read model.
        return child.IsNobody() ? Context.ActorOf(AgentActor.Props(name), name) : child;
    }
}
