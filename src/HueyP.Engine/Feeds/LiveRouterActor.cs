using HueyP.Actors;
using HueyP.Engine.Symbols;

namespace HueyP.Engine.Feeds;

/// <summary>Replies <see cref="LiveStats"/>.</summary>
public sealed record GetLiveStats
{
    public static readonly GetLiveStats Instance = new();
}

/// <summary>Live flow so far: quotes in, quotes handed to symbols, stale quotes replaced by newer ones, unknown symbols.</summary>
public sealed record LiveStats(long Received, long Forwarded, long Conflated, long UnknownSymbols);

/// <summary>
/// /user/engine/feeds/live: routes live quotes to symbols with a few credits per symbol (quotes in flight). A symbol
/// with all its credits in use has one more quote waiting in its slot; a newer quote replaces the waiting one (latest
/// quote wins, counted as conflated), so a lagging symbol catches up with the market instead of trading on a backlog
/// of stale prices, while a short burst is still delivered whole. Replay never comes here: it must neither drop nor
/// reorder. Quotes go straight to the symbol's entity once the region has named it (one hop less per tick). The entity
/// is watched: when it stops (the region restarted, or supervision stopped it) its quotes in flight are gone and their
/// credits will never come back, so the slot goes back to the region with no credits in use, the waiting quote is sent
/// there (the region starts a new entity on it) and the region is asked for the new entity.
/// </summary>
internal sealed class LiveRouterActor : ReceiveActor
{
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _allowed;
    private readonly IActorRef _symbols;
    private readonly int _credits;
    private long _received, _forwarded, _conflated, _unknown;

    private sealed class Slot(IActorRef target)
    {
        public IActorRef Target = target;
        public int InFlight;
        public LiveQuote? Waiting;
    }

    public LiveRouterActor(IActorRef symbols, IReadOnlyCollection<string> allowedSymbols, int creditsPerSymbol)
    {
        _symbols = symbols;
        _credits = Math.Max(1, creditsPerSymbol);
        _allowed = new HashSet<string>(allowedSymbols, StringComparer.Ordinal);
        Receive<LiveQuote>(OnQuote);
        Receive<QuoteCredit>(OnCredit);
        Receive<EntityFor>(OnEntity);
        Receive<Terminated>(terminated => OnEntityStopped(terminated.ActorRef));
        Receive<GetLiveStats>(_ => Sender.Tell(new LiveStats(_received, _forwarded, _conflated, _unknown)));
    }

    public static Props Props(IActorRef symbols, IReadOnlyCollection<string> allowedSymbols, int creditsPerSymbol) =>
        Actors.Props.Create(() => new LiveRouterActor(symbols, allowedSymbols, creditsPerSymbol));

    private void OnQuote(LiveQuote quote)
    {
        _received++;
        if (!_allowed.Contains(quote.Symbol))
        {
            _unknown++;
            return;
        }

        if (!_slots.TryGetValue(quote.Symbol, out var slot))
        {
            _slots[quote.Symbol] = slot = new Slot(_symbols);
            // Until the region answers, quotes go through the region (it starts the entity on the first one).
            _symbols.Tell(new GetEntity(quote.Symbol), Self);
        }

        if (slot.InFlight < _credits)
        {
            slot.InFlight++;
            Send(slot, quote);
            return;
        }

        if (slot.Waiting is not null) _conflated++;
        slot.Waiting = quote;
    }

    private void OnEntity(EntityFor entity)
    {
        if (!_slots.TryGetValue(entity.Symbol, out var slot) || slot.Target.Equals(entity.Entity)) return;
        if (!slot.Target.Equals(_symbols)) Context.Unwatch(slot.Target);
        slot.Target = entity.Entity;
        // Watching an entity that is already gone still yields Terminated, so a late answer cannot leave a dead target.
        Context.Watch(entity.Entity);
    }

    private void OnEntityStopped(IActorRef entity)
    {
        // Rare (a restart of the region or a stopped entity), and there are only as many slots as allowed symbols.
        foreach (var (symbol, slot) in _slots)
        {
            if (!slot.Target.Equals(entity)) continue;
            // Credits sent by the entity before it stopped arrived before this Terminated; the rest died with it.
            slot.Target = _symbols;
            slot.InFlight = 0;
            if (slot.Waiting is { } next)
            {
                slot.Waiting = null;
                slot.InFlight++;
                Send(slot, next);
            }
            _symbols.Tell(new GetEntity(symbol), Self);
        }
    }

    private void OnCredit(QuoteCredit credit)
    {
        // A credit for an unknown slot comes from before a restart of this router: nothing is waiting, nothing to do.
        if (!_slots.TryGetValue(credit.Symbol, out var slot)) return;
        if (slot.Waiting is { } next)
        {
            slot.Waiting = null;
            Send(slot, next);
        }
        else if (slot.InFlight > 0)
        {
            slot.InFlight--;
        }
    }

    private void Send(Slot slot, LiveQuote quote)
    {
        _forwarded++;
        slot.Target.Tell(quote, Self);
    }
}
