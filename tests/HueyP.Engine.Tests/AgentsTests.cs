using HueyP.Actors;
using HueyP.Engine.Agents;

namespace HueyP.Engine.Tests;

public sealed class AgentsTests : Actors.TestKit.TestKit
{
    [Fact]
    public async Task After_a_replay_each_agent_shows_its_latest_vote_per_symbol()
    {
        await using var engine = await EngineHost.StartAsync(Sys, TestData.Settings());
        var result = await engine.RunReplayAsync(TestData.AprilBars().Feed, TestData.FirstWeekOfApril);

        var status = await engine.Refs.Agents.Ask<AgentsStatus>(GetAgentStatus.Instance);

        Assert.Equal(["compliance", "execution", "market", "risk", "system"], status.Agents.Select(a => a.Agent));
        foreach (var agent in status.Agents)
        {
            Assert.Equal(result.Records.Signals, agent.Votes);
            Assert.Equal(["EURUSD", "GBPUSD"], agent.LatestBySymbol.Select(v => v.Symbol));
        }
    }
}
