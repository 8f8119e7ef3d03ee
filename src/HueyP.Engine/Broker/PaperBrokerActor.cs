using HueyP.Actors;
using HueyP.Domain.Broker;
using HueyP.Domain.Ledger;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Broker;

public sealed record PaperBrokerSettings
{
    public required PaperBrokerOptions Options { get; init; }
    public decimal Balance { get; init; } = 100_000m;
}

/// <summary>
/// /user/engine/broker (persistence id <c>broker</c>): wraps the pure <see cref="PaperBroker"/>. Requests are journaled
/// on receipt; at each replay barrier the slice's quotes are merged with the waiting submissions in data time — a
/// submission enters the book just before the first quote later than its decision, so a market order fills on the
/// first quote after the decision however late the submission physically arrived. Reports are translated
/// (<see cref="ExecutionReportTranslation"/>) and told to the order entities and the ledger. A checkpoint of the
/// matching state closes each slice, so a restarted broker continues exactly where the journal says it was.
/// </summary>
public sealed class PaperBrokerActor : ReceivePersistentActor, IWithTimers
{
    public const string Id = "broker";
    /// <summary>Finished orders and fills kept for reconciliation queries (the journal of orders and ledger keeps them all).</summary>
    public const int HistoryLimit = 10_000;
    private readonly LinkedList<BrokerFillRecord> _fillHistory = new();
    private readonly Dictionary<string, BrokerOrder> _finishedHistory = new(StringComparer.Ordinal);
    private readonly Queue<string> _finishedOrder = new();
    private bool _paused;
    private readonly PaperBrokerSettings _settings;
    private readonly IActorRef _orders;
    private readonly IActorRef _ledger;
    private readonly List<BrokerRequestReceived> _pending = [];
    // Resends whose receipt is being journaled (not yet in _pending): a second resend of the same id is not queued twice.
    private readonly HashSet<string> _resending = new(StringComparer.Ordinal);
    private readonly Dictionary<DateTime, BarrierEnvironment> _environments = [];
    private PaperBrokerState _state;
    private DateTime? _lastSliceEnd;
    private bool _dirty;

    public PaperBrokerActor(PaperBrokerSettings settings, IActorRef orders, IActorRef ledger)
    {
        _settings = settings;
        _orders = orders;
        _ledger = ledger;
        _state = PaperBrokerState.Open(settings.Options, settings.Balance);

        Recover<BrokerRequestReceived>(_pending.Add);
        // Recovery applies a cancel exactly as the command did; its reports were forwarded the first time.
        Recover<BrokerCancelReceived>(c =>
        {
            ApplyCancel(c);
            Compact();
        });
        Recover<BrokerCheckpoint>(Restore);
        Recover<BrokerLiveState>(RestoreLive);

        // PersistAsync: many orders submit at once and their requests share group commits instead of queueing one
        // write each; the slice below is deferred until every one of them is journaled.
        Command<SubmitToBroker>(c =>
        {
            var replyTo = Sender;
            if (c.IsResend && (Holds(c.Request.ClientOrderId) || !_resending.Add(c.Request.ClientOrderId)))
            {
                replyTo.Tell(new BrokerRequestQueued(c.Request.ClientOrderId));
                return;
            }
            PersistAsync(new BrokerRequestReceived(c.Request, c.SubmitUtc), e =>
            {
                if (c.IsResend) _resending.Remove(e.Request.ClientOrderId);
                _pending.Add(e);
                _dirty = true;
                replyTo.Tell(new BrokerRequestQueued(e.Request.ClientOrderId));
            });
        });
        Command<CancelAtBroker>(c => !_paused, c => Persist(new BrokerCancelReceived(c.ClientOrderId, c.TimeUtc), e =>
        {
            var reports = ApplyCancel(e);
            Compact();
            Forward(reports, new HashSet<string>(StringComparer.Ordinal));
        }));
        Command<ProcessBrokerSlice>(c =>
        {
            var replyTo = Sender;
            DeferAsync(c, slice => OnSlice(slice, replyTo));
        });
        Command<CommitBrokerSlice>(c =>
        {
            var state = _dirty ? BrokerSnapshot.From(_state, _pending) : null;
            Persist(new BrokerCheckpoint(c.SliceEndUtc, c.Environment, state), e =>
            {
                _dirty = false;
                _lastSliceEnd = e.SliceEndUtc;
                _environments[e.SliceEndUtc] = e.Environment;
                Sender.Tell(new BrokerSliceCommitted(e.SliceEndUtc));
            });
        });
        Command<GetBrokerCursor>(_ => Sender.Tell(new BrokerCursor(_lastSliceEnd, new Dictionary<DateTime, BarrierEnvironment>(_environments), _state)));
        Command<MatchLiveQuote>(c =>
        {
            if (_paused) Stash.Stash();
            else MatchLive(c.Quote);
        });
        // While paused for reconciliation a cancel waits too: it would change the state the report describes.
        Command<CancelAtBroker>(_ => Stash.Stash());
        Command<PauseMatching>(c =>
        {
            _paused = true;
            Timers.StartSingleTimer("pause", ResumeMatching.Instance, c.MaxPause);
            Sender.Tell(Report(null));
        });
        Command<ResumeMatching>(_ =>
        {
            Timers.Cancel("pause");
            if (!_paused) return;
            _paused = false;
            Stash.UnstashAll();
        });
        Command<QueryBrokerOrder>(c => Sender.Tell(Report(c.ClientOrderId)));
        Command<OrderReportApplied>(_ => { });
        Command<LedgerBooked>(_ => { });
    }

    public override string PersistenceId => Id;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PaperBrokerSettings settings, IActorRef orders, IActorRef ledger) =>
        Actors.Props.Create(() => new PaperBrokerActor(settings, orders, ledger));

    /// <summary>Queued, in the book or in the recent history: a resend of this client order id must not become a second order.</summary>
    private bool Holds(string clientOrderId) =>
        _pending.Exists(p => p.Request.ClientOrderId == clientOrderId)
        || _state.FindByClientId(clientOrderId) is not null
        || _finishedHistory.Values.Any(o => o.ClientOrderId == clientOrderId);

    /// <summary>A cancel of an order still waiting for its first quote takes it out of the queue; the book never saw it.</summary>
    private IReadOnlyList<IExecutionReport> ApplyCancel(BrokerCancelReceived e)
    {
        _dirty = true;
        var waiting = _pending.FindIndex(p => p.Request.ClientOrderId == e.ClientOrderId);
        if (waiting < 0)
        {
            (_state, var reports) = PaperBroker.Cancel(_state, e.ClientOrderId, e.TimeUtc);
            return reports;
        }
        _pending.RemoveAt(waiting);
        return [new BrokerOrderCanceled(e.ClientOrderId, "", "canceled before reaching the book", e.TimeUtc)];
    }

    /// <summary>
    /// Finished orders and the fill history leave the matching state after each slice: the domain scans working orders
    /// linearly, and the live state then equals what a checkpoint restores, so a resumed run matches exactly as an
    /// uninterrupted one (our journal keeps the history).
    /// </summary>
    private void Compact()
    {
        var finished = _state.Orders.Values.Where(o => o.Status != BrokerOrderStatus.Working).ToList();
        if (_state.Fills.Count == 0 && finished.Count == 0) return;
        Remember(_state.Fills, finished);
        // What a checkpoint would restore (BrokerSnapshot.From(...).ToState): the working orders and no fills; taken
        // out in place rather than by rebuilding every collection of the state.
        _state = _state with { Orders = _state.Orders.RemoveRange(finished.Select(o => o.BrokerOrderId)), Fills = [] };
    }

    private void Restore(BrokerCheckpoint checkpoint)
    {
        _lastSliceEnd = checkpoint.SliceEndUtc;
        _environments[checkpoint.SliceEndUtc] = checkpoint.Environment;
        if (checkpoint.State is not { } snapshot) return;
        _state = snapshot.ToState(_settings.Options);
        _pending.Clear();
        _pending.AddRange(snapshot.Pending);
    }

    private void RestoreLive(BrokerLiveState live)
    {
        _state = live.State.ToState(_settings.Options);
        _pending.Clear();
        _pending.AddRange(live.State.Pending);
        Remember(live.Fills, live.Finished);
    }

    private void Remember(IEnumerable<BrokerFillRecord> fills, IEnumerable<BrokerOrder> finished)
    {
        foreach (var fill in fills)
        {
            _fillHistory.AddLast(fill);
            if (_fillHistory.Count > HistoryLimit) _fillHistory.RemoveFirst();
        }
        foreach (var order in finished)
        {
            if (_finishedHistory.TryAdd(order.BrokerOrderId, order)) _finishedOrder.Enqueue(order.BrokerOrderId);
            else _finishedHistory[order.BrokerOrderId] = order;
            if (_finishedOrder.Count > HistoryLimit) _finishedHistory.Remove(_finishedOrder.Dequeue());
        }
    }

    /// <summary>The broker's account as reconciliation reads it: book, recent history, positions, what is still queued.</summary>
    private BrokerStateReport Report(string? onlyClientOrderId)
    {
        bool Wanted(string clientOrderId) => onlyClientOrderId is null || clientOrderId == onlyClientOrderId
            || clientOrderId.StartsWith(onlyClientOrderId + "-", StringComparison.Ordinal);
        var orders = new SortedDictionary<string, BrokerOrder>(StringComparer.Ordinal);
        foreach (var o in _finishedHistory.Values) orders[o.BrokerOrderId] = o;
        foreach (var o in _state.Orders.Values) orders[o.BrokerOrderId] = o;
        var fills = new SortedDictionary<string, BrokerFillRecord>(StringComparer.Ordinal);
        foreach (var f in _fillHistory.Concat(_state.Fills)) fills[f.FillId] = f;
        var clientIdByBrokerId = orders.Values.ToDictionary(o => o.BrokerOrderId, o => o.ClientOrderId, StringComparer.Ordinal);
        var asOf = _state.LastQuotes.Values.Select(q => q.TimeUtc).DefaultIfEmpty(DateTime.UnixEpoch).Max();
        var snapshot = new HueyP.Domain.Reconciliation.BrokerSnapshot(asOf,
            orders.Values.Where(o => Wanted(o.ClientOrderId)).Select(o => new HueyP.Domain.Reconciliation.BrokerOrderView(o.ClientOrderId, o.BrokerOrderId,
                o.Symbol, o.Side, o.Quantity, o.FilledQuantity, o.Status,
                o.ParentBrokerOrderId is { } parent ? clientIdByBrokerId.GetValueOrDefault(parent) : null)).ToList(),
            fills.Values.Where(f => Wanted(f.ClientOrderId)).Select(f => new HueyP.Domain.Reconciliation.BrokerFillView(f.FillId, f.ClientOrderId, f.Symbol,
                f.Side, f.Quantity, f.Price, f.Fee, f.TimeUtc)).ToList(),
            onlyClientOrderId is null ? _state.Positions.Values.Select(p => new HueyP.Domain.Reconciliation.BrokerPositionView(p.Symbol, p.Quantity, p.AveragePrice)).ToList() : []);
        var pending = _pending.Select(p => p.Request.ClientOrderId).Where(Wanted).Order(StringComparer.Ordinal).ToList();
        return new BrokerStateReport(snapshot, pending);
    }

    /// <summary>
    /// Live: submissions received before this quote enter the book, then the quote matches. A quote that changed
    /// nothing but the top of book is not journaled (the next quote refreshes it); otherwise the new state is
    /// journaled before any report leaves, so a restarted broker never executes the same thing twice.
    /// </summary>
    private void MatchLive(Quote quote)
    {
        if (_settings.Options.Find(quote.Symbol) is null) return;
        _pending.Sort((a, b) => a.SubmitUtc != b.SubmitUtc ? a.SubmitUtc.CompareTo(b.SubmitUtc) : string.CompareOrdinal(a.Request.ClientOrderId, b.Request.ClientOrderId));
        var reports = new List<IExecutionReport>();
        var next = 0;
        var session = new PaperBrokerSession(_state);
        while (next < _pending.Count && _pending[next].SubmitUtc <= quote.TimeUtc)
        {
            var request = _pending[next++];
            reports.AddRange(session.Submit(request.Request, request.SubmitUtc));
        }
        _pending.RemoveRange(0, next);
        try
        {
            reports.AddRange(session.OnQuote(quote));
        }
        catch (ArgumentException e)
        {
            Log.Warning("broker skipped a bad quote: {Reason}", e.Message);
        }
        _state = session.End();
        if (reports.Count == 0) return;
        var fills = _state.Fills.ToList();
        var finished = _state.Orders.Values.Where(o => o.Status != BrokerOrderStatus.Working).ToList();
        Compact();
        Persist(new BrokerLiveState(quote.TimeUtc, BrokerSnapshot.From(_state, _pending), fills, finished),
            _ => Forward(reports, new HashSet<string>(StringComparer.Ordinal)));
    }

    private void OnSlice(ProcessBrokerSlice slice, IActorRef replyTo)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var reports = new List<IExecutionReport>();
        // Submissions in (time, id) order: the order in which messages arrived plays no part.
        _pending.Sort((a, b) => a.SubmitUtc != b.SubmitUtc ? a.SubmitUtc.CompareTo(b.SubmitUtc) : string.CompareOrdinal(a.Request.ClientOrderId, b.Request.ClientOrderId));
        var next = 0;
        // The whole slice on one working copy of the matching state: the same steps, one new state at the end.
        var session = new PaperBrokerSession(_state);
        foreach (var quote in slice.Quotes)
        {
            if (_settings.Options.Find(quote.Symbol) is null) continue;
            while (next < _pending.Count && _pending[next].SubmitUtc <= quote.TimeUtc)
            {
                var request = _pending[next++];
                reports.AddRange(session.Submit(request.Request, request.SubmitUtc));
            }
            reports.AddRange(session.OnQuote(quote));
        }
        _state = session.End();
        if (next > 0 || reports.Count > 0 || slice.Quotes.Count > 0) _dirty = true;
        _pending.RemoveRange(0, next);
        Compact();
        Forward(reports, touched);
        replyTo.Tell(new BrokerSliceProcessed(touched.Order(StringComparer.Ordinal).ToList(), reports.Count, reports.Count(r => r is BrokerOrderFilled)));
    }

    /// <summary>Reports of one step, grouped per order (one journal write each), fills to the ledger.</summary>
    private void Forward(IReadOnlyList<IExecutionReport> reports, HashSet<string> touched)
    {
        var byOrder = new Dictionary<string, List<IOrderEvent>>(StringComparer.Ordinal);
        var order = new List<string>();
        var ledgerEvents = new List<ILedgerEvent>();
        foreach (var report in reports)
        {
            if (ExecutionReportTranslation.ToOrderEvent(report) is { } orderEvent)
            {
                touched.Add(orderEvent.ClientOrderId);
                if (!byOrder.TryGetValue(orderEvent.ClientOrderId, out var events))
                {
                    byOrder[orderEvent.ClientOrderId] = events = [];
                    order.Add(orderEvent.ClientOrderId);
                }
                events.Add(orderEvent);
            }
            if (ExecutionReportTranslation.ToLedgerEvent(report) is { } ledgerEvent) ledgerEvents.Add(ledgerEvent);
        }
        // The step's fills in one message, in report order: one journal write for all of them.
        if (ledgerEvents.Count == 1) _ledger.Tell(new BookLedgerEvent(ledgerEvents[0]), Self);
        else if (ledgerEvents.Count > 1) _ledger.Tell(new BookLedgerEvents(ledgerEvents), Self);
        foreach (var id in order)
        {
            var events = byOrder[id];
            _orders.Tell(events.Count == 1 ? new ApplyBrokerReport(id, events[0]) : new ApplyBrokerReports(id, events), Self);
        }
    }
}
