using HueyP.Actors;
using HueyP.Domain.Decisions;
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
        // The order side (when present) starts first: symbols may hand it intents as soon as they run.
        startup.OrderSide?.Start(Context);
        var template = settings.Environment;
        Func<DecisionEnvironment> environment = startup.OrderSide is { } orderSide ? () => orderSide.Environment(template) : () => template;
        var wiring = new SymbolWiring(startup.OptionsFor, environment, decisions, agents, startup.Sink, startup.Observer, settings.RewarmBarLimit);
        var entityStrategy = new OneForOneStrategy(settings.SymbolMaxRestarts, settings.SymbolRestartWindow, Actors.SupervisorStrategy.DefaultDecider);
        var symbols = Context.ActorOf(SymbolRegion.Props(wiring, startup.SymbolMemories, entityStrategy), "symbols");
        var feeds = Context.ActorOf(FeedsActor.Props(settings.Mode, symbols, startup.AllowedSymbols, settings.LiveCreditsPerSymbol), "feeds");
        var refs = new EngineRefs(symbols, decisions, gates, agents, feeds, ActorRefs.Nobody);
        if (settings.Mode == EngineMode.Live)
        {
            // The mode ladder and the dependency breakers watch a running node; a replay has neither transports nor a
            // broker to fail, and must not write into the node's single mode stream.
            Context.ActorOf(Breakers.BreakersActor.Props(), Breakers.BreakersActor.ActorName);
            Context.ActorOf(
                BackoffSupervisor.Props(Backoff.OnStop(Modes.ModeActor.Props(), Modes.ModeActor.ActorName, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2)),
                Modes.ModeActor.ActorName);
        }

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
