using System.Collections.Concurrent;
using HueyP.Actors;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Router;
using HueyP.Domain.Broker;
using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Node.Bridge.Mt4Broker;
using HueyP.Node.Hosting;
using HueyP.Persistence;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Node.Tests.Bridge;

/// <summary>
/// The MT4 broker on its own, on a real journal, with recording actors standing in for the router, the orders region and
/// the ledger; nothing here waits for a timer (the periodic check is set to an hour), every step is a message.
/// </summary>
public sealed class Mt4BrokerActorTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private string _folder = "";
    private ActorSystem _system = null!;
    private PersistenceStore _store = null!;
    private readonly Recorder _router = new();
    private readonly Recorder _orders = new();
    private readonly Recorder _ledger = new();
    private readonly Recorder _entity = new();
    private IActorRef _broker = ActorRefs.Nobody;
    private IActorRef _routerRef = ActorRefs.Nobody;
    private int _incarnation;

    /// <summary>Keeps what an actor received, in order, for the test to look at.</summary>
    private sealed class Recorder
    {
        public ConcurrentQueue<object> Messages { get; } = new();

        public IReadOnlyList<T> Of<T>() => Messages.OfType<T>().ToList();

        public Props Props() => HueyP.Actors.Props.Create(() => new RecordingActor(this));
    }

    private sealed class RecordingActor : ReceiveActor
    {
        public RecordingActor(Recorder recorder) => ReceiveAny(recorder.Messages.Enqueue);
    }

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hueyp-mt4-actor").FullName;
        await StartAsync(TimeSpan.FromSeconds(30));
    }

    private async Task StartAsync(TimeSpan timeToLive)
    {
        _system = ActorSystem.Create($"mt4-{++_incarnation}");
        _store = JournalFactory.Create(new JournalSettings { Path = Path.Combine(_folder, "journal.db"), WriterId = "test" }, NodeEvents.Serializer());
        await _store.InitializeAsync();
        PersistenceExtension.Install(_system, _store);
        _routerRef = _system.ActorOf(_router.Props(), "bridge");
        var orders = _system.ActorOf(_orders.Props(), "orders");
        var ledger = _system.ActorOf(_ledger.Props(), "ledger");
        var settings = new Mt4BrokerSettings { OrderTimeToLive = timeToLive, CheckInterval = TimeSpan.FromHours(1), RouterPath = "/user/bridge" };
        _broker = _system.ActorOf(Mt4BrokerActor.Props(settings, orders, ledger), "broker");
    }

    private async Task RestartAsync(TimeSpan timeToLive)
    {
        await _system.Terminate();
        await _store.DisposeAsync();
        foreach (var recorder in new[] { _router, _orders, _ledger, _entity }) recorder.Messages.Clear();
        await StartAsync(timeToLive);
    }

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {Patience}: {what}");
            await Task.Delay(10);
        }
    }

    private Task<Mt4BrokerStatus> StatusAsync() => _broker.Ask<Mt4BrokerStatus>(GetMt4BrokerStatus.Instance, Patience);

    private async Task<BridgeMessage> SubmitAsync(string id, Side side = Side.Buy)
    {
        var entity = _system.ActorOf(_entity.Props());
        var sent = _router.Of<RouteMessage>().Count;
        _broker.Tell(new SubmitToBroker(new BrokerOrderRequest(id, "EURUSD", side, OrderType.Market, 10_000m, null, 1.07m, 1.09m), DateTime.UtcNow), entity);
        await Until(() => _router.Of<RouteMessage>().Count > sent, $"{id} handed to the router");
        return _router.Of<RouteMessage>()[^1].Message;
    }

    private static EaExecutionReported Filled(string id, string fillId, double lots = 0.1, double price = 1.0802) =>
        new($"ea-{Guid.NewGuid():N}", new ExecutionReportPayload(id, ExecutionStatus.Filled, DateTimeOffset.UtcNow)
        {
            BrokerOrderId = "T1", FillId = fillId, Quantity = lots, Price = price, Commission = 0, Remaining = 0,
        });

    /// <summary>The EA closing the position of order <paramref name="id"/> (ticket T1) at its stop, as the simulator reports it.</summary>
    private static EaExecutionReported StopClosed(string id, string trigger = ExecutionTrigger.StopLoss, string side = "SELL", double lots = 0.1, double price = 1.0695) =>
        new($"ea-{Guid.NewGuid():N}", new ExecutionReportPayload(id, ExecutionStatus.Filled, DateTimeOffset.UtcNow)
        {
            BrokerOrderId = "T1", FillId = trigger == ExecutionTrigger.StopLoss ? "T1-SL" : "T1-TP", Quantity = lots, Price = price, Commission = 0,
            Remaining = 0, Side = side, Trigger = trigger, Reason = "stop reached",
        });

    /// <summary>The recorded ledger bookings applied to a real ledger, as the ledger actor would.</summary>
    private LedgerState Booked()
    {
        var state = LedgerState.Open(LedgerOptions.Default, 100_000m, DateTime.UtcNow.AddDays(-1));
        foreach (var booking in _ledger.Of<BookLedgerEvent>())
        {
            var (next, decision) = LedgerMachine.Handle(state, booking.Event);
            Assert.True(decision.IsAccepted, decision.Message);
            state = next;
        }
        return state;
    }

    private IReadOnlyList<IOrderEvent> OrderEvents(string id) =>
        _orders.Messages.SelectMany(m => m switch
        {
            ApplyBrokerReport r when r.ClientOrderId == id => [r.Event],
            ApplyBrokerReports r when r.ClientOrderId == id => r.Events,
            _ => Array.Empty<IOrderEvent>(),
        }).ToList();

    [Fact]
    public async Task An_order_goes_out_as_a_trade_with_its_stops_expiry_and_volume_in_lots_and_the_eas_ack_is_its_acknowledgement()
    {
        var trade = await SubmitAsync("EMAX-EURUSD-20261120T0900-0001");

        Assert.Equal(MessageType.Trade, trade.Type);
        Assert.Equal(Mt4BrokerActor.MessageIdOf("EMAX-EURUSD-20261120T0900-0001"), trade.MessageId);
        var payload = Payloads.Read<OrderPayload>(trade.Payload);
        Assert.Equal((0.1, 1.07, 1.09, "MARKET"), (payload.Volume, payload.StopLoss!.Value, payload.TakeProfit!.Value, payload.OrderType!));
        Assert.True(payload.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(20));
        Assert.Empty(_entity.Of<BrokerRequestQueued>());

        _broker.Tell(new EaAcknowledged(trade.MessageId, AckStatus.Accepted, null));
        await Until(() => _entity.Of<BrokerRequestQueued>().Count == 1, "the order entity hears the EA has its order");
        Assert.Equal("delivered", (await StatusAsync()).Orders["EMAX-EURUSD-20261120T0900-0001"]);
    }

    [Fact]
    public async Task A_fill_reported_again_under_a_new_message_id_or_after_a_restart_reaches_orders_and_ledger_once()
    {
        const string id = "EMAX-EURUSD-20261120T0900-0002";
        await SubmitAsync(id);
        _broker.Tell(Filled(id, "T1-1"));
        await Until(() => _ledger.Of<BookLedgerEvent>().Count == 1, "fill booked");
        _broker.Tell(Filled(id, "T1-1"));
        await Until(() => StatusAsync().Result.ReportsIgnored == 1, "the repeat is recognised");

        // The acceptance the EA did not report is implied by the fill and comes first.
        Assert.Equal([typeof(OrderAccepted), typeof(OrderFilled)], OrderEvents(id).Select(e => e.GetType()));
        var fill = (FillBooked)_ledger.Of<BookLedgerEvent>()[0].Event;
        Assert.Equal((10_000m, 1.0802m, "T1-1", Side.Buy), (fill.Quantity, fill.Price, fill.FillId, fill.Side));

        await RestartAsync(TimeSpan.FromSeconds(30));
        _broker.Tell(Filled(id, "T1-1"));
        await Until(() => StatusAsync().Result.ReportsIgnored == 1, "the repeat is recognised after the restart");
        Assert.Empty(_ledger.Of<BookLedgerEvent>());
        Assert.Empty(OrderEvents(id));
        Assert.Equal("filled", (await StatusAsync()).Orders[id]);
        Assert.Empty(_router.Of<RouteMessage>()); // a filled order is never handed to the bridge again
    }

    [Fact]
    public async Task A_fill_larger_than_the_order_or_without_a_price_is_refused_and_changes_nothing()
    {
        const string id = "EMAX-EURUSD-20261120T0900-0003";
        await SubmitAsync(id);
        _broker.Tell(Filled(id, "T1-1", lots: 0.5));
        _broker.Tell(new EaExecutionReported("ea-x", new ExecutionReportPayload(id, ExecutionStatus.Filled, DateTimeOffset.UtcNow) { FillId = "T1-2", Quantity = 0.1 }));
        _broker.Tell(new EaExecutionReported("ea-y", new ExecutionReportPayload("NOT-OURS", ExecutionStatus.Accepted, DateTimeOffset.UtcNow)));
        await Until(() => StatusAsync().Result.ReportsIgnored == 3, "three bad reports seen");

        Assert.Empty(_ledger.Messages);
        Assert.Empty(OrderEvents(id));
        Assert.Equal("sent", (await StatusAsync()).Orders[id]);
    }

    [Fact]
    public async Task An_unanswered_order_is_pending_for_reconciliation_and_unknown_to_the_ea_it_is_rejected_only_once_expired()
    {
        const string live = "EMAX-EURUSD-20261120T0900-0004";
        await SubmitAsync(live);
        var report = await _broker.Ask<BrokerStateReport>(new PauseMatching(TimeSpan.FromMinutes(1)), Patience);
        Assert.Equal([live], report.Pending);
        Assert.Empty(report.Snapshot.Orders);
        _broker.Tell(ResumeMatching.Instance);

        // Still within its expiry: the EA may yet receive it, so UNKNOWN decides nothing; the EA is asked again.
        _broker.Tell(new EaExecutionReported("ea-u1", new ExecutionReportPayload(live, ExecutionStatus.Unknown, DateTimeOffset.UtcNow)));
        var asked = await _broker.Ask<BrokerStateReport>(new QueryBrokerOrder(live), Patience);
        Assert.Equal([live], asked.Pending);
        await Until(() => _router.Of<RouteMessage>().Any(r => r.Message.Type == MessageType.StatusRequest), "the EA is asked about it");
        var request = Payloads.Read<StatusRequestPayload>(_router.Of<RouteMessage>().Last(r => r.Message.Type == MessageType.StatusRequest).Message.Payload);
        Assert.Equal([live], request.OrderIds);
        Assert.Empty(OrderEvents(live));

        // Orders that expire as soon as they are sent: the EA never had this one and can no longer take it.
        await RestartAsync(TimeSpan.Zero);
        const string stale = "EMAX-EURUSD-20261120T0900-0005";
        await SubmitAsync(stale);
        _broker.Tell(new EaExecutionReported("ea-u2", new ExecutionReportPayload(stale, ExecutionStatus.Unknown, DateTimeOffset.UtcNow)));
        await Until(() => OrderEvents(stale).Count == 1, "rejection reported");
        var rejected = Assert.IsType<OrderRejected>(OrderEvents(stale)[0]);
        Assert.Contains("never reached the EA", rejected.Reason);
        Assert.Equal("rejected", (await StatusAsync()).Orders[stale]);
        Assert.Equal("sent", (await StatusAsync()).Orders[live]);
    }

    [Fact]
    public async Task An_order_the_ea_refuses_as_stale_is_rejected_and_a_cancel_is_refused_with_the_reason()
    {
        const string id = "EMAX-EURUSD-20261120T0900-0006";
        var trade = await SubmitAsync(id);
        _broker.Tell(new CancelAtBroker(id, DateTime.UtcNow));
        await Until(() => OrderEvents(id).Count == 1, "cancel answered");
        Assert.Contains("cannot cancel", Assert.IsType<OrderCancelRejected>(OrderEvents(id)[0]).Reason);

        _broker.Tell(new EaAcknowledged(trade.MessageId, AckStatus.Expired, "expired at 09:00:30"));
        await Until(() => OrderEvents(id).Count == 2, "rejection reported");
        Assert.Contains("expired at 09:00:30", Assert.IsType<OrderRejected>(OrderEvents(id)[1]).Reason);
        _broker.Tell(Filled(id, "T9-1"));
        await Until(() => StatusAsync().Result.ReportsIgnored == 1, "a fill after the rejection is ignored");
        Assert.Empty(_ledger.Messages);
    }

    [Fact]
    public async Task A_position_the_ea_closes_at_its_stop_loss_is_booked_once_as_the_orders_SL_child_fill_and_reconciliation_sees_it()
    {
        const string id = "EMAX-EURUSD-20261120T0900-0007";
        await SubmitAsync(id);
        _broker.Tell(Filled(id, "T1-1"));
        await Until(() => _ledger.Of<BookLedgerEvent>().Count == 1, "entry booked");
        Assert.Equal(10_000m, Booked().PositionOf("EURUSD").Quantity);

        _broker.Tell(StopClosed(id));
        await Until(() => _ledger.Of<BookLedgerEvent>().Count == 2, "stop close booked");
        var close = Assert.IsType<FillBooked>(_ledger.Of<BookLedgerEvent>()[1].Event);
        Assert.Equal(("T1-SL", id + "-SL", Side.Sell, 10_000m, 1.0695m), (close.FillId, close.ClientOrderId, close.Side, close.Quantity, close.Price));
        var ledger = Booked();
        Assert.True(ledger.PositionOf("EURUSD").IsFlat);
        Assert.Equal(-107m, ledger.RealizedPnl); // bought 10 000 at 1.0802, sold at 1.0695
        // The order was filled before and stays so: the close is its position's exit, not an event of the order.
        Assert.Equal([typeof(OrderAccepted), typeof(OrderFilled)], OrderEvents(id).Select(e => e.GetType()));
        Assert.Equal("filled", (await StatusAsync()).Orders[id]);

        // Resent by the EA under a new message id, then again after a restart: booked once.
        _broker.Tell(StopClosed(id));
        await Until(() => StatusAsync().Result.ReportsIgnored == 1, "the repeat is recognised");
        await RestartAsync(TimeSpan.FromSeconds(30));
        _broker.Tell(StopClosed(id));
        await Until(() => StatusAsync().Result.ReportsIgnored == 1, "the repeat is recognised after the restart");
        Assert.Empty(_ledger.Messages);
        Assert.Empty(OrderEvents(id));

        // Reconciliation reads the close as the paper broker shows a protective child: a filled -SL order, its fill, no position.
        var report = await _broker.Ask<BrokerStateReport>(new PauseMatching(TimeSpan.FromMinutes(1)), Patience);
        _broker.Tell(ResumeMatching.Instance);
        var child = Assert.Single(report.Snapshot.Orders, o => o.ClientOrderId == id + "-SL");
        Assert.Equal((id, BrokerOrderStatus.Filled, Side.Sell), (child.ParentClientOrderId, child.Status, child.Side));
        Assert.Equal(["T1-1", "T1-SL"], report.Snapshot.Fills.Select(f => f.FillId).Order());
        Assert.Empty(report.Snapshot.Positions);
        Assert.Equal(10_000m, report.Snapshot.Orders.Single(o => o.ClientOrderId == id).FilledQuantity);
    }

    [Fact]
    public async Task A_take_profit_close_of_a_short_is_a_buy_of_the_TP_child_with_its_profit()
    {
        const string id = "EMAX-EURUSD-20261120T0900-0008";
        await SubmitAsync(id, Side.Sell);
        _broker.Tell(Filled(id, "T1-1", price: 1.0800));
        _broker.Tell(StopClosed(id, ExecutionTrigger.TakeProfit, "BUY", price: 1.0702));
        await Until(() => _ledger.Of<BookLedgerEvent>().Count == 2, "entry and take-profit booked");

        var close = Assert.IsType<FillBooked>(_ledger.Of<BookLedgerEvent>()[1].Event);
        Assert.Equal(("T1-TP", id + "-TP", Side.Buy), (close.FillId, close.ClientOrderId, close.Side));
        Assert.True(Booked().PositionOf("EURUSD").IsFlat);
        Assert.Equal(98m, Booked().RealizedPnl); // sold at 1.0800, bought back at 1.0702
    }

    [Fact]
    public async Task A_stop_close_on_the_orders_own_side_larger_than_the_order_or_of_a_rejected_order_is_refused_and_changes_nothing()
    {
        const string id = "EMAX-EURUSD-20261120T0900-0009";
        await SubmitAsync(id);
        _broker.Tell(Filled(id, "T1-1"));
        await Until(() => _ledger.Of<BookLedgerEvent>().Count == 1, "entry booked");
        _broker.Tell(StopClosed(id, side: "BUY"));
        _broker.Tell(StopClosed(id, lots: 0.2));
        _broker.Tell(new EaExecutionReported("ea-z", new ExecutionReportPayload(id, ExecutionStatus.Filled, DateTimeOffset.UtcNow)
            { FillId = "T1-SL", Quantity = 0.1, Trigger = ExecutionTrigger.StopLoss }));
        const string rejected = "EMAX-EURUSD-20261120T0900-0010";
        var trade = await SubmitAsync(rejected);
        _broker.Tell(new EaAcknowledged(trade.MessageId, AckStatus.Rejected, "no margin"));
        await Until(() => OrderEvents(rejected).Count == 1, "rejection reported");
        _broker.Tell(StopClosed(rejected));
        await Until(() => StatusAsync().Result.ReportsIgnored == 4, "four bad closes seen");

        Assert.Single(_ledger.Of<BookLedgerEvent>());
        Assert.Equal(10_000m, Booked().PositionOf("EURUSD").Quantity);
        var report = await _broker.Ask<BrokerStateReport>(new PauseMatching(TimeSpan.FromMinutes(1)), Patience);
        Assert.Equal(10_000m, Assert.Single(report.Snapshot.Positions).Quantity);
    }

    [Fact]
    public async Task A_pending_limit_order_accepted_at_once_and_filled_on_a_later_quote_is_working_then_filled_once()
    {
        const string id = "EMAX-EURUSD-20261120T0900-0011";
        var entity = _system.ActorOf(_entity.Props());
        _broker.Tell(new SubmitToBroker(new BrokerOrderRequest(id, "EURUSD", Side.Buy, OrderType.Limit, 20_000m, 1.0790m, 1.07m, 1.09m), DateTime.UtcNow), entity);
        await Until(() => _router.Of<RouteMessage>().Count == 1, "handed to the router");
        var payload = Payloads.Read<OrderPayload>(_router.Of<RouteMessage>()[0].Message.Payload);
        Assert.Equal(("LIMIT", 1.079, 0.2), (payload.OrderType, payload.Price!.Value, payload.Volume));

        _broker.Tell(new EaExecutionReported("ea-a", new ExecutionReportPayload(id, ExecutionStatus.Accepted, DateTimeOffset.UtcNow) { BrokerOrderId = "T1" }));
        await Until(() => OrderEvents(id).Count == 1, "acceptance reported");
        Assert.Equal("accepted", (await StatusAsync()).Orders[id]);
        var working = await _broker.Ask<BrokerStateReport>(new PauseMatching(TimeSpan.FromMinutes(1)), Patience);
        _broker.Tell(ResumeMatching.Instance);
        Assert.Equal(BrokerOrderStatus.Working, Assert.Single(working.Snapshot.Orders).Status);
        Assert.Empty(working.Snapshot.Positions);

        // The ACCEPTED again (a STATUS_REQUEST answer) changes nothing; the later quote's fill fills the whole order.
        _broker.Tell(new EaExecutionReported("ea-b", new ExecutionReportPayload(id, ExecutionStatus.Accepted, DateTimeOffset.UtcNow) { BrokerOrderId = "T1" }));
        _broker.Tell(Filled(id, "T1-1", lots: 0.2, price: 1.0789));
        await Until(() => _ledger.Of<BookLedgerEvent>().Count == 1, "fill booked");
        Assert.Equal(1, (await StatusAsync()).ReportsIgnored);

        Assert.Equal([typeof(OrderAccepted), typeof(OrderFilled)], OrderEvents(id).Select(e => e.GetType()));
        var fill = Assert.IsType<OrderFilled>(OrderEvents(id)[1]);
        Assert.Equal((20_000m, 1.0789m), (fill.Quantity, fill.Price));
        Assert.Equal("filled", (await StatusAsync()).Orders[id]);
        Assert.Equal("T1", Assert.IsType<OrderAccepted>(OrderEvents(id)[0]).BrokerOrderId);
    }
}
