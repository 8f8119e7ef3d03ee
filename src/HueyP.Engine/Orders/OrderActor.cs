using HueyP.Actors;
using HueyP.Actors.Sharding;
using HueyP.Domain.Broker;
using HueyP.Domain.Orders;
using HueyP.Engine.Broker;
using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Orders;

/// <summary>
/// /user/engine/orders/&lt;client_order_id&gt; (persistence id <c>order-&lt;client_order_id&gt;</c>): one order's life,
/// event-sourced through <see cref="OrderMachine"/>. Every event is persisted before it is acted on: OrderSubmitted is
/// in the journal before the request leaves for the broker, so after a crash the order knows it may have been sent and
/// never sends it again. Illegal transitions are answered with the machine's error and journaled as evidence; the
/// state does not change.
/// </summary>
public sealed class OrderActor : ReceivePersistentActor
{
    private readonly string _id;
    private readonly IActorRef _broker;
    private OrderState? _state;

    public OrderActor(string clientOrderId, IActorRef broker)
    {
        _id = clientOrderId;
        _broker = broker;
        Recover<IOrderEvent>(e => _state = Apply(_state, e));

        Command<CreateOrder>(OnCreate);
        Command<EnsureSubmitted>(_ =>
        {
            if (_state is { Status: OrderStatus.Initialized }) Submit(replyTo: Sender, created: false);
            else Sender.Tell(new OrderStateReply(_id, _state, LastSequenceNr));
        });
        Command<ApplyBrokerReport>(OnReport);
        Command<CancelOrder>(OnCancel);
        Command<MarkOutcomeUnknown>(c => Handle(new OrderOutcomeUnknown(_id, c.Cause, c.TimeUtc), Sender));
        Command<GetOrderState>(_ => Sender.Tell(new OrderStateReply(_id, _state, LastSequenceNr)));
        Command<BrokerRequestQueued>(_ => { });
    }

    public override string PersistenceId => "order-" + _id;

    public static Props Props(string clientOrderId, IActorRef broker) => Actors.Props.Create(() => new OrderActor(clientOrderId, broker));

    private static OrderState? Apply(OrderState? state, IOrderEvent e) =>
        e is OrderTransitionRejected ? state : OrderMachine.Apply(state, e);

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
            _state = Apply(_state, e);
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
            _state = Apply(_state, e);
            SendToBroker(e.TimeUtc);
            replyTo.Tell(created ? new OrderCreated(_id, OrderStatus.Submitted, null) : new OrderStateReply(_id, _state, LastSequenceNr));
        });
    }

    private void SendToBroker(DateTime submitUtc)
    {
        var state = _state!;
        // Every order carries its stop-loss and take-profit to the broker.
        var request = new BrokerOrderRequest(_id, state.Symbol, state.Side, state.Type, state.Quantity, state.LimitPrice,
            state.StopLoss, state.TakeProfit);
        _broker.Tell(new SubmitToBroker(request, submitUtc), Self);
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
            _state = Apply(_state, e);
            _broker.Tell(new CancelAtBroker(_id, c.TimeUtc), Self);
            replyTo.Tell(new CancelOrderResult(_id, true, null));
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
            _state = Apply(_state, e);
            if (ReferenceEquals(e, last)) replyTo.Tell(new OrderReportApplied(_id, decision.Outcome, decision.Error));
        });
    }
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
        EntityRegion.Props(id => OrderActor.Props(id, broker()), new OrderMessageExtractor(),
            new EntityRegionSettings { PassivateIdleEntityAfter = passivateAfter });
}
