using HueyP.Actors;
using HueyP.Actors.Event;
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
        if (settings.Mode == EngineMode.Live)
        {
            // The mode ladder and the dependency breakers watch a running node (spawned before the order side, whose
            // intake asks the mode actor for the current mode after it recovers); a replay has neither transports nor a
            // broker to fail, and must not write into the node's single mode stream.
            var degrade = Health.DegradeSettings.For(Context.System);
            var breakers = Context.ActorOf(Breakers.BreakersActor.Props(), Breakers.BreakersActor.ActorName);
            var mode = Context.ActorOf(
                BackoffSupervisor.Props(Backoff.OnStop(Modes.ModeActor.Props(degrade.Mode), Modes.ModeActor.ActorName, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2)),
                Modes.ModeActor.ActorName);
            SpawnHealthAndRepair(degrade, mode, breakers);
        }

        // The order side (when present) starts before the symbols: they may hand it intents as soon as they run.
        startup.OrderSide?.Start(Context);
        var template = settings.Environment;
        Func<DecisionEnvironment> environment = startup.OrderSide is { } orderSide ? () => orderSide.Environment(template) : () => template;
        var wiring = new SymbolWiring(startup.OptionsFor, environment, decisions, agents, startup.Sink, startup.Observer, settings.RewarmBarLimit);
        if (settings.Mode == EngineMode.Live) wiring = WithWarmStart(wiring, settings.WarmStart);
        var entityStrategy = new OneForOneStrategy(settings.SymbolMaxRestarts, settings.SymbolRestartWindow, Actors.SupervisorStrategy.DefaultDecider);
        var symbols = Context.ActorOf(SymbolRegion.Props(wiring, startup.SymbolMemories, entityStrategy), "symbols");
        if (wiring.WarmStart is { NeedsFirstQuote: false })
            foreach (var symbol in startup.AllowedSymbols) symbols.Tell(new StartSymbol(symbol), Self);
        var feeds = Context.ActorOf(FeedsActor.Props(settings.Mode, symbols, startup.AllowedSymbols, settings.LiveCreditsPerSymbol), "feeds");
        var refs = new EngineRefs(symbols, decisions, gates, agents, feeds, ActorRefs.Nobody);
        ReceiveAsync<GetEngineRefs>(async _ =>
        {
            var replyTo = Sender;
            var live = await feeds.Ask<LiveRouterRef>(GetLiveRouter.Instance);
            replyTo.Tell(refs with { LiveRouter = live.Router });
        });
    }

    /// <summary>
    /// Degrade/repair wiring (issue 7): /user/engine/health feeds the mode ladder with scores from the breakers, the
    /// journal and the bridge's route; /user/engine/journal-probe (with a journal) probes it through its breaker;
    /// /user/engine/repairs runs runbooks, the journal one by itself when the journal breaker opens.
    /// </summary>
    private void SpawnHealthAndRepair(Health.DegradeSettings degrade, IActorRef mode, IActorRef breakers)
    {
        Context.ActorOf(Health.HealthSamplerActor.Props(mode, breakers, degrade.Health), Health.HealthSamplerActor.ActorName);
        var store = Persistence.PersistentActors.Persistence.TryGet(Context.System)?.Store;
        var probe = store is null ? null : Context.ActorOf(Health.JournalProbeActor.Props(store, breakers, degrade.JournalProbe), Health.JournalProbeActor.ActorName);
        var repairs = new Repair.RepairsSettings
        {
            JournalRunbook = store is not null && probe is not null && degrade.RepairJournal
                ? () => new Repair.JournalRunbook(store, probe, breakers) { ShadowProbes = degrade.JournalShadowProbes, ShadowSpacing = degrade.JournalShadowSpacing }.Build()
                : null,
        };
        Context.ActorOf(Repair.RepairsActor.Props(mode, repairs), Repair.RepairsActor.ActorName);
    }

    /// <summary>
    /// Live: the symbols' warm-start source and, for warm-start = journal, /user/engine/bar-journal that stores every
    /// closed bar for the next start (restarted by this actor like any child; what it held is retried or lost, never blocking).
    /// </summary>
    private SymbolWiring WithWarmStart(SymbolWiring wiring, SymbolWarmStartSettings warmStart)
    {
        var store = Persistence.PersistentActors.Persistence.TryGet(Context.System)?.Store;
        var source = WarmStartSources.For(warmStart, store);
        if (source is null && warmStart.Source != WarmStartSource.None)
        {
            var problem = warmStart.Source == WarmStartSource.Journal ? "no journal is installed" : "no warm-up data path is set";
            Context.GetLogger().Warning("warm-start = {Source}, but {Problem}: symbols start cold", SymbolWarmStartReport.SourceName(warmStart.Source), problem);
            source = new UnavailableWarmStart(warmStart.Source, problem);
        }

        var barJournal = warmStart.Source == WarmStartSource.Journal && store is not null
            ? Context.ActorOf(BarJournalActor.Props(store), BarJournalActor.ActorName)
            : null;
        return wiring with { Live = true, WarmStart = source, BarJournal = barJournal };
    }

    protected override Actors.SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(Actors.SupervisorStrategy.DefaultDecider);

    public static Props Props(EngineStartup startup) => Actors.Props.Create(() => new EngineActor(startup));
}
