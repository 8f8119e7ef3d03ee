using HueyP.Actors;
using HueyP.Engine.Feeds;

namespace HueyP.Engine;

internal sealed record GetLiveRouter
{
    public static readonly GetLiveRouter Instance = new();
}

internal sealed record LiveRouterRef(IActorRef Router);

/// <summary>
/// /user/engine/feeds: parent of the live router (/user/engine/feeds/live). Replay needs no actor here: its router is
/// the ingestion loop in <see cref="ReplayRouter"/>, which must await each slice barrier anyway.
/// </summary>
internal sealed class FeedsActor : ReceiveActor
{
    public FeedsActor(EngineMode mode, IActorRef symbols, IReadOnlyCollection<string> allowedSymbols, int creditsPerSymbol)
    {
        if (mode == EngineMode.Live) Context.ActorOf(LiveRouterActor.Props(symbols, allowedSymbols, creditsPerSymbol), "live");
        Receive<GetLiveRouter>(_ => Sender.Tell(new LiveRouterRef(Context.Child("live"))));
    }

    public static Props Props(EngineMode mode, IActorRef symbols, IReadOnlyCollection<string> allowedSymbols, int creditsPerSymbol) =>
        Actors.Props.Create(() => new FeedsActor(mode, symbols, allowedSymbols, creditsPerSymbol));
}
