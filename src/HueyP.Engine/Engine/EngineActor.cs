using HueyP.Actors;
using HueyP.Engine.Agents;
using HueyP.Engine.Decisions;
using HueyP.Engine.Gates;
using HueyP.Engine.Symbols;

namespace HueyP.Engine;

/// <summary>
/// /user/engine: owns the trading subtree — gates, agents, decisions (recorder), symbols (entity region) and feeds.
/// Supervision: every child keeps what matters in a holder the engine owns (recorder state, symbol memories), so the
/// engine restarts a failing child (OneForOne) without losing records or indicator warm-up; symbol entities are
/// supervised by the region with a bounded restart budget (see <see cref="EngineSettings.SymbolMaxRestarts"/>).
/// </summary>
internal sealed class EngineActor : ReceiveActor
{
    public EngineActor(EngineStartup startup)
    {
        var settings = startup.Settings;
        var gates = Context.ActorOf(GatesActor.Props(startup.Constraints), "gates");
        var agents = Context.ActorOf(AgentsActor.Props(), "agents");
        var decisions = Context.ActorOf(DecisionRecorderActor.Props(startup.Recorder, settings.Mode), "decisions");
        var wiring = new SymbolWiring(startup.OptionsFor, settings.Environment, decisions, agents, startup.Sink, startup.Observer, settings.RewarmBarLimit);
        var entityStrategy = new OneForOneStrategy(settings.SymbolMaxRestarts, settings.SymbolRestartWindow, Actors.SupervisorStrategy.DefaultDecider);
        var symbols = Context.ActorOf(SymbolRegion.Props(wiring, startup.SymbolMemories, entityStrategy), "symbols");
        var feeds = Context.ActorOf(FeedsActor.Props(settings.Mode, symbols, startup.AllowedSymbols, settings.LiveCreditsPerSymbol), "feeds");
        var refs = new EngineRefs(symbols, decisions, gates, agents, feeds, ActorRefs.Nobody);

        ReceiveAsync<GetEngineRefs>(async _ =>
        {
            var replyTo = Sender;
            var live = await feeds.Ask<LiveRouterRef>(GetLiveRouter.Instance);
            replyTo.Tell(refs with { LiveRouter = live.Router });
        });
    }

    protected override Actors.SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Actors.SupervisorStrategy.DefaultDecider);

    public static Props Props(EngineStartup startup) => Actors.Props.Create(() => new EngineActor(startup));
}
