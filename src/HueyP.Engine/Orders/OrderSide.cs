using HueyP.Actors;
using HueyP.Domain.Broker;
using HueyP.Domain.Decisions;
using HueyP.Domain.Ledger;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Intents;
using HueyP.Engine.Ledger;

namespace HueyP.Engine.Orders;

public sealed record OrderSideSettings
{
    public required PaperBrokerOptions Broker { get; init; }
    public LedgerSettings Ledger { get; init; } = new();
    public OrderIntakeSettings Intake { get; init; } = new();
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The paper broker for FX symbols: pip 0.0001 (0.01 for JPY crosses), seeded, FX market hours.</summary>
    public static OrderSideSettings PaperFx(IEnumerable<string> symbols, ulong seed = 42, decimal slippagePips = 0.2m) => new()
    {
        Broker = new PaperBrokerOptions(
            [.. symbols.Select(s => new PaperSymbol(s, s.EndsWith("JPY", StringComparison.Ordinal) ? 0.01m : 0.0001m))],
            Slippage: slippagePips, CommissionPerMillion: 20m, Seed: seed),
    };
}

/// <summary>What a replay with orders ended with.</summary>
public sealed record OrderSideSummary(
    long Orders, long Submitted, long Filled, long Fills, long Replayed,
    IReadOnlyDictionary<string, long> RejectsByReason, decimal RealizedPnl, decimal UnrealizedPnl, decimal Nav, decimal Fees,
    string LedgerHash, string OrdersHash, string StateHash, OrderBook Book, LedgerState Ledger, DateTime? ResumedAfterUtc);

/// <summary>
/// The order side of the engine: /user/engine/intake, /user/engine/orders (entities), /user/engine/ledger and
/// /user/engine/broker, and its part in the replay barrier. At each barrier, in this order: the intake journals and
/// submits every intent of the slice; the broker matches the slice's quotes; order entities and the ledger journal
/// the reports; the ledger's state becomes the next slice's decision environment; the broker checkpoints. Nothing
/// of the next slice starts before all of that, so fills and the final hash depend only on the data.
/// Resuming after a crash: the whole data is replayed again (the symbols need their warm-up), but slices up to the
/// broker's last checkpoint only re-run the decisions — their intents come back as idempotent replays, and the
/// environment each of them saw is read back from the checkpoints.
/// </summary>
public sealed class OrderSide : IEngineOrderSide
{
    private readonly OrderSideSettings _settings;
    private readonly ForwardingSink _sink = new();
    private volatile BarrierEnvironment _environment = new(0, 0, 0);
    private BrokerCursor? _cursor;
    private IActorRef _broker = ActorRefs.Nobody;

    public OrderSide(OrderSideSettings settings) => _settings = settings;

    public IOrderIntentSink Sink => _sink;
    public IActorRef Intake { get; private set; } = ActorRefs.Nobody;
    public IActorRef Orders { get; private set; } = ActorRefs.Nobody;
    public IActorRef Ledger { get; private set; } = ActorRefs.Nobody;
    public IActorRef Broker => _broker;
    public long BarriersSkipped { get; private set; }

    public void Start(IActorContext engine)
    {
        Ledger = engine.ActorOf(LedgerActor.Props(_settings.Ledger), "ledger");
        // Orders and broker know each other; the region resolves the broker when it starts an entity.
        Orders = engine.ActorOf(OrderRegion.Props(() => _broker, passivateAfter: null), "orders");
        _broker = engine.ActorOf(PaperBrokerActor.Props(new PaperBrokerSettings { Options = _settings.Broker, Balance = _settings.Ledger.OpeningBalance }, Orders, Ledger), "broker");
        Intake = engine.ActorOf(OrderIntakeActor.Props(_settings.Intake, Orders), "intake");
        _sink.Target = Intake;
    }

    public DecisionEnvironment Environment(DecisionEnvironment template)
    {
        var e = _environment;
        return template with { DailyDrawdownPct = Math.Max(template.DailyDrawdownPct, e.DailyDrawdownPct), OpenPositions = template.OpenPositions + e.OpenPositions };
    }

    public async Task OnSliceBarrierAsync(DateTime sliceEndUtc, IReadOnlyList<Quote> quotes, CancellationToken ct)
    {
        var timeout = _settings.AskTimeout;
        _cursor ??= await _broker.Ask<BrokerCursor>(GetBrokerCursor.Instance, timeout, ct).ConfigureAwait(false);
        await Intake.Ask<IntentsFlushed>(FlushIntents.Instance, timeout, ct).ConfigureAwait(false);
        if (_cursor.LastSliceEndUtc is { } done && sliceEndUtc <= done)
        {
            // Already matched and journaled before the restart: decisions re-run for warm-up only.
            BarriersSkipped++;
            if (_cursor.Environments.TryGetValue(sliceEndUtc, out var seen)) _environment = seen;
            return;
        }

        var processed = await _broker.Ask<BrokerSliceProcessed>(new ProcessBrokerSlice(quotes), timeout, ct).ConfigureAwait(false);
        Ledger.Tell(new UpdateMarks(LastMarks(quotes)), ActorRefs.NoSender);
        var syncs = processed.TouchedOrders.Select(id => Orders.Ask<OrderStateReply>(new GetOrderState(id), timeout, ct)).ToList();
        await Task.WhenAll(syncs).ConfigureAwait(false);
        var ledger = await Ledger.Ask<LedgerView>(GetLedgerState.Instance, timeout, ct).ConfigureAwait(false);
        var environment = EnvironmentOf(ledger.State);
        await _broker.Ask<BrokerSliceCommitted>(new CommitBrokerSlice(sliceEndUtc, environment), timeout, ct).ConfigureAwait(false);
        _environment = environment;
    }

    /// <summary>What decisions may read of the account: today's drawdown from the session peak, open positions, exposure.</summary>
    public static BarrierEnvironment EnvironmentOf(LedgerState s) => new(
        s.SessionPeakNav > 0 ? (double)(s.SessionDrawdown / s.SessionPeakNav * 100m) : 0d,
        s.Positions.Values.Count(p => !p.IsFlat),
        (double)s.GrossExposure);

    private static List<MarkUpdated> LastMarks(IReadOnlyList<Quote> quotes)
    {
        var last = new SortedDictionary<string, Quote>(StringComparer.Ordinal);
        foreach (var q in quotes) last[q.Symbol] = q;
        var marks = new List<MarkUpdated>(last.Count);
        foreach (var q in last.Values)
        {
            if (PriceConversion.TryToDecimal(q.Bid, "bid", out var bid, out _) && PriceConversion.TryToDecimal(q.Ask, "ask", out var ask, out _))
                marks.Add(new MarkUpdated(q.Symbol, bid, ask, q.TimeUtc));
        }
        return marks;
    }

    /// <summary>Reads every order and the ledger back from their actors (after the replay) into one summary.</summary>
    public async Task<OrderSideSummary> SummarizeAsync(CancellationToken ct = default)
    {
        var timeout = _settings.AskTimeout;
        var stats = await Intake.Ask<IntakeStats>(GetIntakeStats.Instance, timeout, ct).ConfigureAwait(false);
        var replies = await Task.WhenAll(stats.ClientOrderIds.Select(id => Orders.Ask<OrderStateReply>(new GetOrderState(id), timeout, ct))).ConfigureAwait(false);
        var book = OrderBook.Empty;
        foreach (var r in replies.Where(r => r.State is not null)) book = book with { Orders = book.Orders.SetItem(r.ClientOrderId, r.State!) };
        var ledger = await Ledger.Ask<LedgerView>(GetLedgerState.Instance, timeout, ct).ConfigureAwait(false);
        var rejects = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (code, n) in stats.DeniedByReason) rejects[code] = n;
        foreach (var o in book.Orders.Values.Where(o => o.Status == OrderStatus.Rejected))
        {
            var code = "BROKER_REJECT";
            rejects[code] = rejects.GetValueOrDefault(code) + 1;
        }
        var ordersHash = OrderBookHash.Compute(book);
        var fills = ledger.State.AppliedEntryIds.Count(id => id != LedgerSettings.OpeningDepositId);
        return new OrderSideSummary(stats.Orders, stats.Submitted, book.Orders.Values.Count(o => o.Status == OrderStatus.Filled), fills, stats.Replayed,
            rejects, ledger.State.RealizedPnl, ledger.State.UnrealizedPnl, ledger.State.Nav, ledger.State.FeesPaid,
            ledger.Hash, ordersHash, OrderBookHash.Combine(ledger.Hash, ordersHash), book, ledger.State, _cursor?.LastSliceEndUtc);
    }

    private sealed class ForwardingSink : IOrderIntentSink
    {
        private volatile IActorRef _target = ActorRefs.Nobody;

        public IActorRef Target { set => _target = value; }

        public void Submit(OrderIntent intent, DecisionRecord record) => _target.Tell(new SubmitOrderIntent(intent, record), ActorRefs.NoSender);
    }
}
