using System.Diagnostics;
using HueyP.Actors;
using HueyP.Actors.Sharding;
using HueyP.Domain.Broker;
using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Domain.Reconciliation;
using HueyP.Engine.Broker;
using HueyP.Engine.Health;
using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Orders;

/// <summary>
/// /user/engine/orders/&lt;client_order_id&gt; (persistence id <c>order-&lt;client_order_id&gt;</c>): one order's life,
/// event-sourced through <see cref="OrderMachine"/>. Every event is persisted before it is acted on: OrderSubmitted is
/// in the journal before the request leaves for the broker, so after a crash the order knows it may have been sent and
/// never sends it again by itself; only reconciliation, having found the broker never received it, has it sent again
/// (<see cref="ResendUnsent"/>). Illegal transitions are answered with the machine's error and journaled as evidence; the
/// state does not change.
/// </summary>
public sealed class OrderActor : Health.JournalingActor, IWithTimers
{
    private const string AckTimer = "broker-ack";
    private const string ResolveTimer = "resolve";
    private const string PassivateTimer = "passivate-finished";
    private readonly string _id;
    private readonly string _persistenceId;
    private readonly IActorRef _broker;
    private readonly IActorRef _intake;
    private readonly OrderEntitySettings _settings;
    private long _sentToBrokerAt;
    private readonly List<IOrderEvent> _history = [];
    private readonly bool _streamIsKnownEmpty;
    private OrderState? _state;

    public OrderActor(string clientOrderId, IActorRef broker, IActorRef intake, OrderEntitySettings settings, FreshOrderIds? fresh = null)
    {
        _id = clientOrderId;
        _persistenceId = "order-" + clientOrderId;
        // The intake minted this id a moment ago: nothing can have been journaled under it, the journal need not be asked.
        // Claimed once: a restarted incarnation recovers as usual.
        _streamIsKnownEmpty = fresh?.TryClaim(clientOrderId) ?? false;
        _broker = broker;
        _intake = intake;
        _settings = settings;
        Recover<IOrderEvent>(e =>
        {
            _history.Add(e);
            _state = Apply(_state, e);
        });
        // An order still unresolved when the node stopped holds its symbol again and asks the broker once more.
        Recover<RecoveryCompleted>(_ =>
        {
            if (_state is { HoldsSymbol: true }) Hold(true);
            PassivateIfFinished();
        });

        Command<CreateOrder>(OnCreate);
        Command<EnsureSubmitted>(_ =>
        {
            if (_state is { Status: OrderStatus.Initialized }) Submit(replyTo: Sender, created: false);
            else Sender.Tell(new OrderStateReply(_id, _state, LastSequenceNr));
        });
        Command<ResendUnsent>(OnResendUnsent);
        Command<ApplyBrokerReport>(OnReport);
        Command<ApplyBrokerReports>(OnReports);
        Command<CancelOrder>(OnCancel);
        Command<MarkOutcomeUnknown>(c => Handle(new OrderOutcomeUnknown(_id, c.Cause, c.TimeUtc), Sender));
        Command<GetOrderState>(_ => Sender.Tell(new OrderStateReply(_id, _state, LastSequenceNr)));
        Command<GetOrderHistory>(_ =>
        {
            Sender.Tell(new OrderHistoryReply(_id, _state, _history.ToList(), LastSequenceNr));
            if (_state is null) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
        Command<ApplyReconciliation>(OnReconciliation);
        Command<BrokerRequestQueued>(_ =>
        {
            Timers.Cancel(AckTimer);
            if (_sentToBrokerAt != 0 && _settings.AckObserver is { } observer) observer.OnAcknowledged(_state!.Symbol, Stopwatch.GetElapsedTime(_sentToBrokerAt));
            _sentToBrokerAt = 0;
        });
        Command<BrokerAckTimedOut>(_ =>
        {
            // Nobody knows whether the broker has it: in flight, never resent; the broker is asked instead.
            if (_state is { Status: OrderStatus.Submitted, BrokerOrderId: null, OutcomeUnknown: false })
                Handle(new OrderOutcomeUnknown(_id, $"no answer from the broker within {_settings.BrokerAckTimeout?.TotalSeconds:0.###} s", _state.SubmittedAtUtc ?? _state.LastEventUtc), ActorRefs.Nobody);
        });
        Command<ResolveOutcome>(_ =>
        {
            if (_state is { HoldsSymbol: true }) _broker.Tell(new QueryBrokerOrder(_id), Self);
            else Timers.Cancel(ResolveTimer);
        });
        Command<BrokerStateReport>(OnBrokerAnswer);
        Command<PassivateFinished>(_ =>
        {
            if (_state?.Status.IsTerminal() == true) Context.Parent.Tell(new Passivate(StopFinished.Instance));
        });
        // A command, unlike a PoisonPill: it waits behind a write in progress, so nothing journaled is cut short.
        Command<StopFinished>(_ => Context.Stop(Self));
    }

    public override string PersistenceId => _persistenceId;

    protected override bool StreamIsKnownEmpty => _streamIsKnownEmpty;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string clientOrderId, IActorRef broker) => Props(clientOrderId, broker, ActorRefs.Nobody, new OrderEntitySettings());

    // A plain factory, not an expression: one Props per order entity, and building and reading an expression tree
    // for each cost more than creating the actor.
    public static Props Props(string clientOrderId, IActorRef broker, IActorRef intake, OrderEntitySettings settings, FreshOrderIds? fresh = null) =>
        Actors.Props.Create((Func<OrderActor>)(() => new OrderActor(clientOrderId, broker, intake, settings, fresh)));

    private static OrderState? Apply(OrderState? state, IOrderEvent e) =>
        e is OrderTransitionRejected ? state : OrderMachine.Apply(state, e);

    /// <summary>Every journaled event passes here: state, history, and the symbol hold when the outcome became (un)known.</summary>
    private void Applied(IOrderEvent e) => Applied(e, Apply(_state, e));

    /// <summary><paramref name="after"/> is <see cref="Apply"/> of the current state and <paramref name="e"/>.</summary>
    private void Applied(IOrderEvent e, OrderState? after)
    {
        var heldBefore = _state is { HoldsSymbol: true };
        _history.Add(e);
        _state = after;
        if (after is not null) _settings.Book?.Reported(after);
        var heldAfter = _state is { HoldsSymbol: true };
        if (heldBefore != heldAfter) Hold(heldAfter);
        PassivateIfFinished();
    }

    private void PassivateIfFinished()
    {
        if (_settings.PassivateFinishedAfter is { } after && _state?.Status.IsTerminal() == true)
            Timers.StartSingleTimer(PassivateTimer, PassivateFinished.Instance, after);
    }

    private void Hold(bool held)
    {
        _intake.Tell(new SymbolHoldChanged(_state!.Symbol, _id, held), Self);
        if (!held)
        {
            Timers.Cancel(ResolveTimer);
            return;
        }
        _broker.Tell(new QueryBrokerOrder(_id), Self);
        Timers.StartPeriodicTimer(ResolveTimer, ResolveOutcome.Instance, _settings.ResolveRetryInterval);
    }

    private void OnCreate(CreateOrder c)
    {
        if (_state is not null)
        {
            // The intake's idempotency makes this a replay: answer with what the journal says, send nothing.
            Sender.Tell(new OrderCreated(_id, _state.Status, null));
            return;
        }
        // One atomic write: the order is born either DENIED (with its reason code) or SUBMITTED; the request leaves
        // for the broker only once that write is committed.
        IOrderEvent second = c.Verdict.Passed
            ? new OrderSubmitted(_id, SubmitTime(c.Init.DecisionTimeUtc))
            : new OrderDenied(_id, c.Verdict.ReasonCode ?? "DENIED", c.Verdict.Detail ?? "", c.Init.TimeUtc);
        var replyTo = Sender;
        PersistAll(new IOrderEvent[] { c.Init, second }, e =>
        {
            Applied(e);
            if (e is OrderDenied) replyTo.Tell(new OrderCreated(_id, OrderStatus.Denied, c.Verdict.ReasonCode));
            if (e is OrderSubmitted s)
            {
                SendToBroker(s.TimeUtc);
                replyTo.Tell(new OrderCreated(_id, OrderStatus.Submitted, null));
            }
        });
    }

    /// <summary>The submission enters the broker's book just after the decision instant: the decision quote itself cannot fill it.</summary>
    private static DateTime SubmitTime(DateTime decisionUtc) => decisionUtc.AddTicks(1);

    /// <summary>Journal first, then send: the order is SUBMITTED before the broker can possibly have it.</summary>
    private void Submit(IActorRef replyTo, bool created)
    {
        Persist<IOrderEvent>(new OrderSubmitted(_id, SubmitTime(_state!.DecisionTimeUtc)), e =>
        {
            Applied(e);
            SendToBroker(e.TimeUtc);
            replyTo.Tell(created ? new OrderCreated(_id, OrderStatus.Submitted, null) : new OrderStateReply(_id, _state, LastSequenceNr));
        });
    }

    private void SendToBroker(DateTime submitUtc, bool isResend = false)
    {
        var state = _state!;
        // Every order carries its stop-loss and take-profit to the broker.
        var request = new BrokerOrderRequest(_id, state.Symbol, state.Side, state.Type, state.Quantity, state.LimitPrice,
            state.StopLoss, state.TakeProfit);
        _broker.Tell(new SubmitToBroker(request, submitUtc, isResend), Self);
        _sentToBrokerAt = Stopwatch.GetTimestamp();
        if (_settings.BrokerAckTimeout is { } timeout) Timers.StartSingleTimer(AckTimer, BrokerAckTimedOut.Instance, timeout);
    }

    /// <summary>
    /// Reconciliation established that the broker never received this order: the one case a SUBMITTED order is sent
    /// again. Nothing is journaled (the submission already is); the broker's acknowledgement is awaited as for the first send.
    /// </summary>
    private void OnResendUnsent(ResendUnsent _)
    {
        if (_state is { Status: OrderStatus.Submitted, BrokerOrderId: null, FilledQuantity: 0m, OutcomeUnknown: false, SubmittedAtUtc: { } submitted })
        {
            SendToBroker(submitted, isResend: true);
            Sender.Tell(new UnsentResendResult(_id, true, null));
            return;
        }
        Sender.Tell(new UnsentResendResult(_id, false, _state is null ? $"order {_id} is unknown"
            : $"order {_id} is {_state.Status.ToDisplay()}{(_state.OutcomeUnknown ? " with an unknown outcome" : "")}: only a submitted order nobody acknowledged is sent again"));
        if (_state is null) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    private void OnReport(ApplyBrokerReport report)
    {
        if (_state is null)
        {
            Sender.Tell(new OrderReportApplied(_id, OrderDecisionOutcome.Rejected, $"order {_id} is unknown: a report for it cannot be applied"));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }
        // A report delivered again after a restart (same broker id) is a duplicate, not an illegal transition.
        if (report.Event is OrderAccepted a && _state.BrokerOrderId == a.BrokerOrderId)
        {
            Sender.Tell(new OrderReportApplied(_id, OrderDecisionOutcome.Duplicate, "already accepted"));
            return;
        }
        Handle(report.Event, Sender);
    }

    /// <summary>Each report decided on the state the previous one left, as separate messages would be; one write for all.</summary>
    private void OnReports(ApplyBrokerReports reports)
    {
        if (_state is null)
        {
            Sender.Tell(new OrderReportApplied(_id, OrderDecisionOutcome.Rejected, $"order {_id} is unknown: a report for it cannot be applied"));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }
        var state = _state;
        var events = new List<IOrderEvent>();
        // The state after each event, as decided here: the handlers adopt them instead of applying every event again.
        var states = new List<OrderState?>();
        string? error = null;
        foreach (var proposed in reports.Events)
        {
            if (proposed is OrderAccepted a && state!.BrokerOrderId == a.BrokerOrderId) continue;
            var decision = OrderMachine.Decide(state, proposed);
            if (decision.Outcome == OrderDecisionOutcome.Duplicate) continue;
            if (!decision.IsAccepted) error ??= decision.Error;
            events.AddRange(decision.Events);
            foreach (var e in decision.Events)
            {
                state = Apply(state, e);
                states.Add(state);
            }
        }
        var replyTo = Sender;
        var outcome = error is not null ? OrderDecisionOutcome.Rejected : events.Count == 0 ? OrderDecisionOutcome.Duplicate : OrderDecisionOutcome.Accepted;
        if (events.Count == 0)
        {
            replyTo.Tell(new OrderReportApplied(_id, outcome, error));
            return;
        }
        var last = events[^1];
        var next = 0;
        PersistAll(events, e =>
        {
            // Commands wait while persisting: the state these were decided on is still the current one.
            Applied(e, states[next++]);
            if (ReferenceEquals(e, last)) replyTo.Tell(new OrderReportApplied(_id, outcome, error));
        });
    }

    private void OnCancel(CancelOrder c)
    {
        if (_state is null)
        {
            Sender.Tell(new CancelOrderResult(_id, false, $"order {_id} is unknown: nothing to cancel"));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }
        var decision = OrderMachine.Decide(_state, new OrderCancelRequested(_id, c.TimeUtc));
        if (!decision.IsAccepted)
        {
            Sender.Tell(new CancelOrderResult(_id, false, decision.Error));
            return;
        }
        var replyTo = Sender;
        PersistAll(decision.Events, e =>
        {
            Applied(e);
            _broker.Tell(new CancelAtBroker(_id, c.TimeUtc), Self);
            replyTo.Tell(new CancelOrderResult(_id, true, null));
        });
    }

    /// <summary>The broker's answer about this order: what it executed becomes our journal (as reconciliation would do).</summary>
    private void OnBrokerAnswer(BrokerStateReport report)
    {
        if (_state is not { HoldsSymbol: true }) return;
        // Still queued at the broker: it has the order, the acceptance comes with the next quote.
        if (report.Pending.Contains(_id)) return;
        var book = OrderBook.Empty with { Orders = OrderBook.Empty.Orders.SetItem(_id, _state) };
        var ownFills = report.Snapshot with { Fills = report.Snapshot.Fills.Where(f => f.ClientOrderId == _id).ToList(), Positions = [] };
        var reconciled = Reconciler.Run(book, LedgerState.Open(LedgerOptions.Default, 0m, DateTime.UnixEpoch), ownFills);
        if (reconciled.OrderEvents.Count > 0) Journal(reconciled.OrderEvents, ActorRefs.Nobody);
    }

    private void OnReconciliation(ApplyReconciliation c)
    {
        if (_state is null)
        {
            Sender.Tell(new OrderReportApplied(_id, OrderDecisionOutcome.Rejected, $"order {_id} is unknown: nothing to reconcile"));
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            return;
        }
        Journal(c.Events, Sender);
    }

    /// <summary>Decides the events one after another on a running state; journals the accepted ones together.</summary>
    private void Journal(IReadOnlyList<IOrderEvent> proposed, IActorRef replyTo)
    {
        var state = _state;
        var accepted = new List<IOrderEvent>();
        string? error = null;
        foreach (var e in proposed)
        {
            var decision = OrderMachine.Decide(state, e);
            if (decision.Outcome == OrderDecisionOutcome.Duplicate) continue;
            if (!decision.IsAccepted)
            {
                error = decision.Error;
                break;
            }
            foreach (var d in decision.Events) state = Apply(state, d);
            accepted.AddRange(decision.Events);
        }
        var outcome = error is not null ? OrderDecisionOutcome.Rejected : accepted.Count == 0 ? OrderDecisionOutcome.Duplicate : OrderDecisionOutcome.Accepted;
        if (accepted.Count == 0)
        {
            replyTo.Tell(new OrderReportApplied(_id, outcome, error));
            return;
        }
        var last = accepted[^1];
        PersistAll(accepted, e =>
        {
            Applied(e);
            if (ReferenceEquals(e, last)) replyTo.Tell(new OrderReportApplied(_id, outcome, error));
        });
    }

    private void Handle(IOrderEvent proposed, IActorRef replyTo)
    {
        var decision = OrderMachine.Decide(_state, proposed);
        if (decision.Outcome == OrderDecisionOutcome.Duplicate)
        {
            replyTo.Tell(new OrderReportApplied(_id, decision.Outcome, decision.Error));
            return;
        }
        // Accepted events change the state; a rejected transition is journaled as evidence and changes nothing.
        var last = decision.Events[^1];
        PersistAll(decision.Events, e =>
        {
            Applied(e);
            if (ReferenceEquals(e, last)) replyTo.Tell(new OrderReportApplied(_id, decision.Outcome, decision.Error));
        });
    }

    private sealed record BrokerAckTimedOut
    {
        public static readonly BrokerAckTimedOut Instance = new();
    }

    private sealed record ResolveOutcome
    {
        public static readonly ResolveOutcome Instance = new();
    }

    private sealed record PassivateFinished
    {
        public static readonly PassivateFinished Instance = new();
    }

    private sealed record StopFinished
    {
        public static readonly StopFinished Instance = new();
    }
}

/// <summary>
/// Client order ids the intake has just minted and journaled, not yet claimed by their entity: such an entity starts
/// without a journal query (nothing can exist under a new id). Shared by the intake and the order region.
/// </summary>
public sealed class FreshOrderIds
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _ids = new(StringComparer.Ordinal);

    public void Add(string clientOrderId) => _ids.TryAdd(clientOrderId, 0);

    /// <summary>True once per id: the first incarnation of its entity.</summary>
    public bool TryClaim(string clientOrderId) => _ids.TryRemove(clientOrderId, out _);
}

/// <summary>Entity id = the client order id the message names.</summary>
internal sealed class OrderMessageExtractor() : HashCodeMessageExtractor(maxNumberOfShards: 32)
{
    public override string? EntityId(object message) => (message as IOrderMessage)?.ClientOrderId;
}

/// <summary>
/// /user/engine/orders: one entity per client order id. Idle entities may be passivated: their state is in the journal
/// and comes back on the next message.
/// </summary>
internal static class OrderRegion
{
    public static Props Props(Func<IActorRef> broker, TimeSpan? passivateAfter) =>
        Props(broker, () => ActorRefs.Nobody, new OrderEntitySettings(), passivateAfter);

    public static Props Props(Func<IActorRef> broker, Func<IActorRef> intake, OrderEntitySettings settings, TimeSpan? passivateAfter,
        FreshOrderIds? fresh = null) =>
        EntityRegion.Props(id => OrderActor.Props(id, broker(), intake(), settings, fresh), new OrderMessageExtractor(),
            new EntityRegionSettings { PassivateIdleEntityAfter = passivateAfter });
}
