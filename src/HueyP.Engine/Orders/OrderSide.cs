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

    /// <summary>Live: the ledger is marked at most this often per symbol (in quote time); each mark is a journal row.</summary>
    public TimeSpan LiveMarkInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Live: a submission the broker has not acknowledged within this time has an unknown outcome.</summary>
    public TimeSpan BrokerAckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an order with an unknown outcome asks the broker again.</summary>
    public TimeSpan ResolveRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time reconciliation may keep the broker from matching (it resumes by itself after it).</summary>
    public TimeSpan ReconcileMaxPause { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reconciliation sends a SUBMITTED order the broker never received to the broker again when it was submitted at most
    /// this long before the broker's snapshot (the bridge's order time-to-live, hueyp.bridge.order-time-to-live, is
    /// 30 s too); older ones are canceled. Zero cancels them all.
    /// </summary>
    public TimeSpan ResendUnsentWithin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a finished order's entity stays in memory (<see cref="OrderEntitySettings.PassivateFinishedAfter"/>); null keeps it.</summary>
    public TimeSpan? PassivateFinishedAfter { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The broker behind /user/engine/broker when it is not the paper broker (the MT4 bridge's, say). It must speak
    /// the paper broker's protocol (Broker/BrokerMessages.cs) and report to the orders and ledger it is given.
    /// </summary>
    public Func<BrokerWiring, Props>? BrokerProps { get; init; }

    /// <summary>Told every order's submit-to-acknowledgement time (telemetry's SLO figure); null measures nothing.</summary>
    public IOrderAckObserver? AckObserver { get; init; }

    /// <summary>The paper broker for FX symbols: pip 0.0001 (0.01 for JPY crosses), seeded, FX market hours.</summary>
    public static OrderSideSettings PaperFx(IEnumerable<string> symbols, ulong seed = 42, decimal slippagePips = 0.2m) => new()
    {
        Broker = new PaperBrokerOptions(
            [.. symbols.Select(s => new PaperSymbol(s, s.EndsWith("JPY", StringComparison.Ordinal) ? 0.01m : 0.0001m))],
            Slippage: slippagePips, CommissionPerMillion: 20m, Seed: seed),
    };
}

/// <summary>What a broker actor reports to: the order region and the ledger.</summary>
public sealed record BrokerWiring(IActorRef Orders, IActorRef Ledger, OrderSideSettings Settings);

/// <summary>
/// One reconciliation: why it ran, when (node clock), what it found, what it journaled and which orders the broker never
/// received it sent again (<see cref="Resent"/>).
/// </summary>
public sealed record ReconciliationRun(string Trigger, DateTime RanAtUtc, HueyP.Domain.Reconciliation.ReconciliationReport Report,
    int OrderEventsApplied, int LedgerEventsApplied, IReadOnlyList<string> PendingAtBroker, IReadOnlyList<string> Resent);

/// <summary>An operator's view of one order: its state and every journaled event.</summary>
public sealed record OrderDetails(OrderState State, IReadOnlyList<IOrderEvent> Events, long SequenceNr);

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
    private readonly IntakeMemory _intakeMemory = new();
    private readonly OrderBookView _book = new();
    private volatile BarrierEnvironment _environment = new(0, 0, 0);
    private readonly Dictionary<string, DateTime> _lastMark = new(StringComparer.Ordinal);
    private readonly Lock _markGate = new();
    private BrokerCursor? _cursor;
    private IActorRef _broker = ActorRefs.Nobody;
    private ActorSystem? _system;
    private volatile ReconciliationRun? _lastReconciliation;
    private int _environmentRefreshing;

    public OrderSide(OrderSideSettings settings) => _settings = settings;

    /// <summary>Replay (slice barriers drive everything) or live (quotes match on arrival); set by the engine host before start.</summary>
    public EngineMode Mode { get; internal set; } = EngineMode.Replay;

    public OrderSideSettings Settings => _settings;

    /// <summary>The last reconciliation (start-up or on request); null before the first.</summary>
    public ReconciliationRun? LastReconciliation => _lastReconciliation;

    /// <summary>Test hook: called at each step of a replay barrier ("intents", "matched", "synced", "committed").</summary>
    internal Func<DateTime, string, Task>? BarrierStep { get; set; }

    public IOrderIntentSink Sink => _sink;
    public IActorRef Intake { get; private set; } = ActorRefs.Nobody;
    public IActorRef Orders { get; private set; } = ActorRefs.Nobody;
    public IActorRef Ledger { get; private set; } = ActorRefs.Nobody;
    public IActorRef Broker => _broker;

    public void Start(IActorContext engine)
    {
        _system = engine.System;
        var live = Mode == EngineMode.Live;
        Ledger = engine.ActorOf(LedgerActor.Props(_settings.Ledger), "ledger");
        // Orders, broker and intake know each other; the region resolves them when it starts an entity. Only live
        // orders time out waiting for the broker: a replay must not depend on how fast the machine is.
        var entity = new OrderEntitySettings { BrokerAckTimeout = live ? _settings.BrokerAckTimeout : null, ResolveRetryInterval = _settings.ResolveRetryInterval, AckObserver = _settings.AckObserver, PassivateFinishedAfter = _settings.PassivateFinishedAfter, Book = _book };
        var fresh = new FreshOrderIds();
        Orders = engine.ActorOf(OrderRegion.Props(() => _broker, () => Intake, entity, passivateAfter: null, fresh), "orders");
        var brokerProps = _settings.BrokerProps?.Invoke(new BrokerWiring(Orders, Ledger, _settings))
            ?? PaperBrokerActor.Props(new PaperBrokerSettings { Options = _settings.Broker, Balance = _settings.Ledger.OpeningBalance }, Orders, Ledger);
        _broker = engine.ActorOf(brokerProps, "broker");
        // Replay intents wait for the barrier (canonical order); live ones become orders on arrival.
        // The memory outlives the intake's incarnations: a restart finds the slice's unflushed intents and the mode.
        var intake = _settings.Intake with
        {
            BufferUntilFlush = !live && _settings.Intake.BufferUntilFlush,
            ModeActorPath = live ? _settings.Intake.ModeActorPath ?? $"{engine.Self.Path.ToStringWithoutAddress().TrimEnd('/')}/{HueyP.Engine.Modes.ModeActor.ActorName}" : null,
            Book = _book,
        };
        Intake = engine.ActorOf(OrderIntakeActor.Props(intake, Orders, fresh, _intakeMemory), "intake");
        _sink.Target = Intake;
    }

    /// <summary>
    /// Live: the broker matches the quote (after the submissions it received before it), and the ledger is marked at
    /// most every <see cref="OrderSideSettings.LiveMarkInterval"/> per symbol, after which the decision environment
    /// is refreshed from the ledger. Never blocks.
    /// </summary>
    public void OnLiveQuote(in Quote quote)
    {
        _broker.Tell(new MatchLiveQuote(quote), ActorRefs.NoSender);
        lock (_markGate)
        {
            if (_lastMark.TryGetValue(quote.Symbol, out var last) && quote.TimeUtc - last < _settings.LiveMarkInterval) return;
            _lastMark[quote.Symbol] = quote.TimeUtc;
        }
        if (MarkOf(quote) is { } mark) Ledger.Tell(new UpdateMarks([mark]), ActorRefs.NoSender);
        RefreshEnvironment();
    }

    private void RefreshEnvironment()
    {
        if (Interlocked.Exchange(ref _environmentRefreshing, 1) == 1) return;
        Ledger.Ask<LedgerView>(GetLedgerState.Instance, _settings.AskTimeout).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) _environment = EnvironmentOf(t.Result.State);
            Volatile.Write(ref _environmentRefreshing, 0);
        }, TaskScheduler.Default);
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
        if (BarrierStep is { } intents) await intents(sliceEndUtc, "intents").ConfigureAwait(false);
        if (_cursor.LastSliceEndUtc is { } done && sliceEndUtc <= done)
        {
            // Already matched and journaled before the restart: decisions re-run for warm-up only.
            if (_cursor.Environments.TryGetValue(sliceEndUtc, out var seen)) _environment = seen;
            return;
        }

        var processed = await _broker.Ask<BrokerSliceProcessed>(new ProcessBrokerSlice(quotes), timeout, ct).ConfigureAwait(false);
        if (BarrierStep is { } matched) await matched(sliceEndUtc, "matched").ConfigureAwait(false);
        Ledger.Tell(new UpdateMarks(LastMarks(quotes)), ActorRefs.NoSender);
        await Orders.AskAll<OrderStateReply>(processed.TouchedOrders.Select(id => (object)new GetOrderState(id)).ToList(), timeout, ct).ConfigureAwait(false);
        var ledger = await Ledger.Ask<LedgerView>(GetLedgerState.Instance, timeout, ct).ConfigureAwait(false);
        if (BarrierStep is { } synced) await synced(sliceEndUtc, "synced").ConfigureAwait(false);
        var environment = EnvironmentOf(ledger.State);
        await _broker.Ask<BrokerSliceCommitted>(new CommitBrokerSlice(sliceEndUtc, environment), timeout, ct).ConfigureAwait(false);
        _environment = environment;
        if (BarrierStep is { } committed) await committed(sliceEndUtc, "committed").ConfigureAwait(false);
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
            if (MarkOf(q) is { } mark) marks.Add(mark);
        return marks;
    }

    /// <summary>The ledger's mark for a quote; null when a price cannot be a decimal (the ledger never sees it).</summary>
    private static MarkUpdated? MarkOf(in Quote q) =>
        PriceConversion.TryToDecimal(q.Bid, "bid", out var bid, out _) && PriceConversion.TryToDecimal(q.Ask, "ask", out var ask, out _)
            ? new MarkUpdated(q.Symbol, bid, ask, q.TimeUtc)
            : null;

    /// <summary>Reads every order and the ledger back from their actors (after the replay) into one summary.</summary>
    public async Task<OrderSideSummary> SummarizeAsync(CancellationToken ct = default)
    {
        var timeout = _settings.AskTimeout;
        var stats = await Intake.Ask<IntakeStats>(GetIntakeStats.Instance, timeout, ct).ConfigureAwait(false);
        var book = _book.Book();
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

    /// <summary>
    /// Compares what the journal says (every order the intake created, the ledger) with what the broker holds, while
    /// the broker's matching is paused, and journals the synthetic events that make them agree (ids deterministic:
    /// a second run finds nothing). Orders the broker has received but not yet booked are left out: they are neither
    /// accepted nor lost. A submitted order the broker never received is sent again when it is recent
    /// (<see cref="OrderSideSettings.ResendUnsentWithin"/>), canceled otherwise; once sent the broker has it, so the
    /// next run leaves it alone. The run is logged and kept for <see cref="LastReconciliation"/>.
    /// </summary>
    public async Task<ReconciliationRun> ReconcileAsync(string trigger, DateTime nowUtc, CancellationToken ct = default)
    {
        RefuseInReplay("reconciliation");
        var timeout = _settings.AskTimeout;
        var broker = await _broker.Ask<BrokerStateReport>(new PauseMatching(_settings.ReconcileMaxPause), timeout, ct).ConfigureAwait(false);
        try
        {
            var book = await BookAsync(ct).ConfigureAwait(false);
            var pending = broker.Pending.ToHashSet(StringComparer.Ordinal);
            var compared = book with { Orders = book.Orders.RemoveRange(pending) };
            var ledger = await Ledger.Ask<LedgerView>(GetLedgerState.Instance, timeout, ct).ConfigureAwait(false);
            var report = HueyP.Domain.Reconciliation.Reconciler.Run(compared, ledger.State, broker.Snapshot, _settings.ResendUnsentWithin);
            var byOrder = report.OrderEvents.GroupBy(e => e.ClientOrderId, StringComparer.Ordinal).ToList();
            var applied = await Task.WhenAll(byOrder.Select(g => Orders.Ask<OrderReportApplied>(new ApplyReconciliation(g.Key, g.ToList()), timeout, ct))).ConfigureAwait(false);
            foreach (var e in report.LedgerEvents) Ledger.Tell(new BookLedgerEvent(e), ActorRefs.NoSender);
            await Ledger.Ask<LedgerView>(GetLedgerState.Instance, timeout, ct).ConfigureAwait(false);
            // Each entity checks again that it is still a submitted order nobody acknowledged before it sends.
            var resent = await Task.WhenAll(report.ToResend.Select(id => Orders.Ask<UnsentResendResult>(new ResendUnsent(id), timeout, ct))).ConfigureAwait(false);
            var run = new ReconciliationRun(trigger, nowUtc, report, byOrder.Zip(applied).Where(p => p.Second.Outcome == OrderDecisionOutcome.Accepted).Sum(p => p.First.Count()),
                report.LedgerEvents.Count, broker.Pending, [.. resent.Where(r => r.Sent).Select(r => r.ClientOrderId)]);
            _lastReconciliation = run;
            Log(run);
            return run;
        }
        finally
        {
            _broker.Tell(ResumeMatching.Instance, ActorRefs.NoSender);
        }
    }

    private void Log(ReconciliationRun run)
    {
        var log = _system?.Log;
        if (log is null) return;
        if (run.Report.IsClean)
        {
            log.Info("reconciliation ({Trigger}): journal and broker agree", run.Trigger);
            return;
        }
        log.Warning("reconciliation ({Trigger}): {Findings} difference(s), {OrderEvents} order event(s) and {LedgerEvents} ledger event(s) journaled, {Resent} order(s) the broker never received sent again\n{Report}",
            run.Trigger, run.Report.Findings.Count, run.OrderEventsApplied, run.LedgerEventsApplied, run.Resent.Count, run.Report.Render());
    }

    /// <summary>Every order, as its entity last journaled it (<see cref="OrderBookView"/>).</summary>
    public Task<OrderBook> BookAsync(CancellationToken ct = default) => Task.FromResult(_book.Book());

    /// <summary>
    /// Folds the orders the journal already holds into the book, before anything reads it: from the order book a warm
    /// standby offered (<see cref="OrderBookView.SeedName"/>) and the events after its offset, else from the first
    /// event. One pass over the journal instead of one recovery per order. Returns the orders folded and the events read.
    /// </summary>
    public async Task<OrderBookLoad> LoadBookAsync(CancellationToken ct = default)
    {
        var persistence = Persistence.PersistentActors.Persistence.Get(_system ?? throw new InvalidOperationException("the order side has not started"));
        var seed = persistence.TakeProjectionSeed(OrderBookView.SeedName) is { State: OrderBook } offered ? offered : null;
        // A mutable fold: a whole journal through the immutable OrderBook would rebuild its tree once per event.
        var folded = seed?.State is OrderBook seeded
            ? new Dictionary<string, OrderState>(seeded.Orders, StringComparer.Ordinal)
            : new Dictionary<string, OrderState>(StringComparer.Ordinal);
        long read = 0;
        // The engine starts under the current epoch (or alone on its journal): no write still open can fill a hole.
        await foreach (var envelope in persistence.Store.ReadJournal.CurrentAllEventsAfterFencing(seed?.Offset ?? 0, ct).ConfigureAwait(false))
        {
            read++;
            if (JournalAnalysis.OrderEventOf(envelope) is not { } e || e is OrderTransitionRejected) continue;
            folded[e.ClientOrderId] = OrderMachine.Apply(folded.GetValueOrDefault(e.ClientOrderId), e);
        }
        _book.Seed(folded);
        return LastBookLoad = new OrderBookLoad(folded.Count, read, seed?.Offset);
    }

    /// <summary>What the last <see cref="LoadBookAsync"/> folded; null before it ran.</summary>
    public OrderBookLoad? LastBookLoad { get; private set; }

    /// <summary>One order with its history; null when no such order exists.</summary>
    public async Task<OrderDetails?> OrderAsync(string clientOrderId, CancellationToken ct = default)
    {
        var reply = await Orders.Ask<OrderHistoryReply>(new GetOrderHistory(clientOrderId), _settings.AskTimeout, ct).ConfigureAwait(false);
        return reply.State is null ? null : new OrderDetails(reply.State, reply.Events, reply.SequenceNr);
    }

    public Task<CancelOrderResult> CancelAsync(string clientOrderId, DateTime nowUtc, CancellationToken ct = default)
    {
        RefuseInReplay("a cancel");
        return Orders.Ask<CancelOrderResult>(new CancelOrder(clientOrderId, nowUtc), _settings.AskTimeout, ct);
    }

    public Task<CancelAllResult> CancelAllAsync(DateTime nowUtc, CancellationToken ct = default)
    {
        RefuseInReplay("cancel-all");
        return Intake.Ask<CancelAllResult>(new CancelAllOrders(nowUtc), _settings.AskTimeout, ct);
    }

    /// <summary>A replay's orders follow from its data alone (that is what makes its hash reproducible): operators only read.</summary>
    private void RefuseInReplay(string what)
    {
        if (Mode == EngineMode.Replay)
            throw new InvalidOperationException($"{what} is refused: this engine is replaying recorded data, whose orders follow from the data alone");
    }

    /// <summary>Journals the switch; with cancel-all (on only) every working order is then asked to cancel.</summary>
    public async Task<(KillSwitchStatus Status, CancelAllResult? Canceled)> SetKillSwitchAsync(bool active, bool cancelAll, string reason, string who,
        DateTime nowUtc, CancellationToken ct = default)
    {
        RefuseInReplay("the kill switch");
        var status = await Intake.Ask<KillSwitchStatus>(new SetKillSwitch(active, cancelAll, reason, who, nowUtc), _settings.AskTimeout, ct).ConfigureAwait(false);
        var canceled = active && cancelAll ? await CancelAllAsync(nowUtc, ct).ConfigureAwait(false) : null;
        return (status, canceled);
    }

    public Task<KillSwitchStatus> KillSwitchAsync(CancellationToken ct = default) =>
        Intake.Ask<KillSwitchStatus>(GetKillSwitch.Instance, _settings.AskTimeout, ct);

    public Task<LedgerView> LedgerAsync(CancellationToken ct = default) =>
        Ledger.Ask<LedgerView>(GetLedgerState.Instance, _settings.AskTimeout, ct);

    private sealed class ForwardingSink : IOrderIntentSink
    {
        private volatile IActorRef _target = ActorRefs.Nobody;

        public IActorRef Target { set => _target = value; }

        public void Submit(OrderIntent intent, DecisionRecord record) => _target.Tell(new SubmitOrderIntent(intent, record), ActorRefs.NoSender);
    }
}
