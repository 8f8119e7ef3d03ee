using System.Globalization;
using HueyP.Actors;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Router;
using HueyP.Domain.Broker;
using HueyP.Domain.Orders;
using HueyP.Domain.Reconciliation;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Ledger;
using HueyP.Engine.Orders;
using HueyP.Persistence.PersistentActors;
using BrokerSnapshot = HueyP.Domain.Reconciliation.BrokerSnapshot;

namespace HueyP.Node.Bridge.Mt4Broker;

public sealed record Mt4BrokerSettings
{
    /// <summary>Our name in the source field of every TRADE.</summary>
    public string ServerName { get; init; } = "hueyp";

    /// <summary>expires_at of a TRADE = the time it is first sent + this; the EA never executes it later.</summary>
    public TimeSpan OrderTimeToLive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often unresolved orders are looked after: a TRADE the EA has not ACKed is handed to the outbox again (it
    /// de-duplicates, the EA acts on an id once), an order ACKed but not finished is asked about with STATUS_REQUEST.
    /// </summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the bridge's router lives (it starts after the engine; messages to it before then are re-sent by the check).</summary>
    public string RouterPath { get; init; } = BridgeModule.RouterPath;

    /// <summary>Engine units per MT4 lot: a TRADE's volume is in lots (10000 EURUSD units = 0.1), reports are read back the same way.</summary>
    public decimal LotSize { get; init; } = 100_000m;

    /// <summary>Order ids per STATUS_REQUEST.</summary>
    public int StatusBatch { get; init; } = 100;
}

/// <summary>
/// /user/engine/broker when <c>hueyp.bridge.broker = mt4</c> (persistence id <c>mt4-broker</c>): the engine's broker
/// interface in front of the MT4 Expert Advisor. Every order is journaled (<see cref="Mt4OrderSent"/>) before it goes to
/// the bridge's durable outbox as a TRADE carrying its stop-loss, take-profit and expiry, with a message id derived
/// from the client order id, so however often it is handed over again the EA acts on it once. The EA's ACK
/// (<see cref="Mt4OrderDelivered"/>) is what the order entity hears as <see cref="BrokerRequestQueued"/>; its
/// EXECUTION_REPORTs become BrokerOrderAccepted / Rejected / Filled for the orders and the ledger, each journaled once
/// under its key (accepted, rejected, fill:&lt;id&gt;), so a replayed report changes nothing. A FILLED with a trigger is the
/// EA closing the order's position at its stop-loss / take-profit: it reaches the ledger as the order's -SL / -TP child
/// fill (exactly as the paper broker reports its protective children), leaves the order itself as it is, and is part of
/// the broker state reconciliation reads (fills, positions). No answer leaves the
/// outcome unknown: the order entity asks <see cref="QueryBrokerOrder"/>, answered from what the EA has reported, and
/// the EA is asked again with STATUS_REQUEST. An order the EA says it never received, once past its expiry, can never be
/// executed any more (the EA refuses stale orders) and is reported rejected.
/// </summary>
public sealed class Mt4BrokerActor : ReceivePersistentActor, IWithTimers
{
    public const string Id = "mt4-broker";
    private const string CheckTimer = "check";
    private const string PauseTimer = "pause";

    private sealed class Order(Mt4OrderSent sent)
    {
        public Mt4OrderSent Sent { get; } = sent;
        public bool Delivered;
        public bool Accepted;
        public string? BrokerOrderId;
        public string? RejectReason;
        public decimal Filled;
        public DateTimeOffset LastHandedOver;
        public readonly HashSet<string> Keys = new(StringComparer.Ordinal);
        public readonly List<Mt4ReportApplied> Fills = [];

        /// <summary>The EA's closes of this order's position at its stop-loss / take-profit (the -SL / -TP child's fills).</summary>
        public readonly List<Mt4ReportApplied> Exits = [];

        public decimal Exited => Exits.Sum(e => e.Quantity ?? 0);

        public bool IsFinal => RejectReason is not null || Filled >= Sent.Quantity;

        public string Status => RejectReason is not null ? "rejected"
            : Filled >= Sent.Quantity ? "filled"
            : Filled > 0 ? "partially filled"
            : Accepted ? "accepted"
            : Delivered ? "delivered"
            : "sent";
    }

    private sealed class Check
    {
        public static readonly Check Instance = new();
    }

    private readonly Mt4BrokerSettings _settings;
    private readonly IActorRef _orders;
    private readonly IActorRef _ledger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Order> _byClientId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Order> _byMessageId = new(StringComparer.Ordinal);
    private readonly List<Order> _inOrder = [];
    private readonly Dictionary<string, Mt4ReportApplied> _rejections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _awaitingDelivery = new(StringComparer.Ordinal);
    private readonly MessageFactory _factory;
    private bool _paused;
    private long _applied;
    private long _ignored;
    private long _resent;
    private long _statusRequests;

    public Mt4BrokerActor(Mt4BrokerSettings settings, IActorRef orders, IActorRef ledger)
    {
        _settings = settings;
        _orders = orders;
        _ledger = ledger;
        _time = Context.System.Scheduler.TimeProvider;
        _factory = new MessageFactory(settings.ServerName, _time);

        Recover<Mt4OrderSent>(e => Add(e));
        Recover<Mt4OrderDelivered>(e =>
        {
            if (_byClientId.TryGetValue(e.ClientOrderId, out var order)) order.Delivered = true;
        });
        Recover<Mt4ReportApplied>(Apply);
        Recover<RecoveryCompleted>(_ => Timers.StartPeriodicTimer(CheckTimer, Check.Instance, _settings.CheckInterval));

        Command<SubmitToBroker>(OnSubmit);
        Command<EaAcknowledged>(OnAck);
        Command<EaExecutionReported>(r => !_paused, OnReport);
        Command<EaExecutionReported>(_ => Stash.Stash());
        Command<QueryBrokerOrder>(q =>
        {
            Sender.Tell(Report(q.ClientOrderId));
            if (!_byClientId.TryGetValue(q.ClientOrderId, out var order)) return;
            if (!order.IsFinal) AskEa([order]);
            // An entity still asking has not applied the rejection (lost in a crash between journal and tell): again.
            else if (order.RejectReason is not null) Forward(order, _rejections.TryGetValue(order.Sent.ClientOrderId, out var r) ? [r] : []);
        });
        // Nothing matches here (the EA's terminal has the market); the pause only holds EA reports back, so the state
        // reconciliation reads does not change under it.
        Command<PauseMatching>(c =>
        {
            _paused = true;
            Timers.StartSingleTimer(PauseTimer, ResumeMatching.Instance, c.MaxPause);
            Sender.Tell(Report(null));
        });
        Command<ResumeMatching>(_ =>
        {
            Timers.Cancel(PauseTimer);
            if (!_paused) return;
            _paused = false;
            Stash.UnstashAll();
        });
        Command<MatchLiveQuote>(_ => { });
        Command<CancelAtBroker>(OnCancel);
        Command<Check>(_ => OnCheck());
        Command<GetMt4BrokerStatus>(_ => Sender.Tell(new Mt4BrokerStatus(
            _inOrder.ToDictionary(o => o.Sent.ClientOrderId, o => o.Status, StringComparer.Ordinal), _applied, _ignored, _resent, _statusRequests)));
        Command<OrderReportApplied>(r =>
        {
            if (r.Outcome == OrderDecisionOutcome.Rejected) Log.Warning("order {ClientOrderId} refused an MT4 report: {Error}", r.ClientOrderId, r.Error);
        });
        Command<LedgerBooked>(b =>
        {
            if (b.Outcome == HueyP.Domain.Ledger.LedgerOutcome.Rejected) Log.Warning("the ledger refused an MT4 fill: {Message}", b.Message);
        });
        Command<ProcessBrokerSlice>(_ => RefuseReplay());
        Command<CommitBrokerSlice>(_ => RefuseReplay());
        Command<GetBrokerCursor>(_ => RefuseReplay());
    }

    public override string PersistenceId => Id;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Mt4BrokerSettings settings, IActorRef orders, IActorRef ledger) =>
        Actors.Props.Create(() => new Mt4BrokerActor(settings, orders, ledger));

    /// <summary>The TRADE's message id: derived from the client order id, so every hand-over of one order is the same message to the EA.</summary>
    public static string MessageIdOf(string clientOrderId)
    {
        var id = "hp-" + clientOrderId;
        if (id.Length <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-')) return id;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(clientOrderId)));
        return "hp-" + hash[..40];
    }

    private void RefuseReplay() =>
        Sender.Tell(new Status.Failure(new NotSupportedException("the MT4 broker trades live only: a replay runs on the paper broker")));

    private Order Add(Mt4OrderSent sent)
    {
        var order = new Order(sent) { LastHandedOver = sent.SentAt };
        _byClientId[sent.ClientOrderId] = order;
        _byMessageId[sent.MessageId] = order;
        _inOrder.Add(order);
        return order;
    }

    private void OnSubmit(SubmitToBroker c)
    {
        var id = c.Request.ClientOrderId;
        if (_byClientId.TryGetValue(id, out var known))
        {
            // Sent before (an entity replaying its submission): never a second TRADE; it hears of the ACK as usual.
            if (known.Delivered) Sender.Tell(new BrokerRequestQueued(id));
            else _awaitingDelivery[id] = Sender;
            return;
        }
        var now = _time.GetUtcNow();
        var r = c.Request;
        var sent = new Mt4OrderSent(id, MessageIdOf(id), r.Symbol, r.Side == Side.Buy ? "BUY" : "SELL", r.Type.ToString().ToUpperInvariant(),
            r.Quantity, r.Price, r.StopLoss, r.TakeProfit, c.SubmitUtc, now, now + _settings.OrderTimeToLive);
        var replyTo = Sender;
        Persist(sent, e =>
        {
            var order = Add(e);
            _awaitingDelivery[id] = replyTo;
            HandOver(order);
        });
    }

    /// <summary>Into the bridge's outbox (journaled there before it is sent; kept until the EA ACKs it).</summary>
    private void HandOver(Order order)
    {
        order.LastHandedOver = _time.GetUtcNow();
        Context.ActorSelection(_settings.RouterPath).Tell(new RouteMessage(Trade(order.Sent)), Self);
    }

    private BridgeMessage Trade(Mt4OrderSent s)
    {
        var payload = new OrderPayload(s.ClientOrderId, s.Symbol, s.Side == "BUY" ? HueyP.Bridge.Protocol.OrderSide.Buy : HueyP.Bridge.Protocol.OrderSide.Sell,
            (double)(s.Quantity / _settings.LotSize), s.ExpiresAt)
        {
            OrderType = s.OrderType,
            Price = (double?)s.Price,
            StopLoss = (double?)s.StopLoss,
            TakeProfit = (double?)s.TakeProfit,
        };
        return new BridgeMessage(ProtocolVersion.V1_0, MessageType.Trade, s.MessageId, s.SentAt, _settings.ServerName, Payloads.ToElement(payload));
    }

    private void OnAck(EaAcknowledged ack)
    {
        if (!_byMessageId.TryGetValue(ack.RefMessageId, out var order)) return; // not one of our TRADEs
        switch (ack.Status)
        {
            case AckStatus.Accepted or AckStatus.Duplicate:
                if (order.Delivered) return;
                Persist(new Mt4OrderDelivered(order.Sent.ClientOrderId, ack.Status, _time.GetUtcNow()), e =>
                {
                    order.Delivered = true;
                    NotifyDelivered(order);
                });
                return;
            case AckStatus.Expired or AckStatus.Rejected:
                // The EA refused it unexecuted: certain, so the order is rejected.
                ApplyAll(order, [Fact(order, "rejected", ExecutionStatus.Rejected, null, null, null, null, null,
                    $"the EA refused the order ({ack.Status}): {ack.Reason ?? "no reason given"}", _time.GetUtcNow().UtcDateTime, "ack")]);
                return;
        }
    }

    private void NotifyDelivered(Order order)
    {
        if (_awaitingDelivery.Remove(order.Sent.ClientOrderId, out var waiter)) waiter.Tell(new BrokerRequestQueued(order.Sent.ClientOrderId), Self);
    }

    private void OnReport(EaExecutionReported reported)
    {
        var report = reported.Report;
        if (!_byClientId.TryGetValue(report.OrderId, out var order))
        {
            _ignored++;
            Log.Warning("EXECUTION_REPORT {MessageId} names order {OrderId}, which this node never sent: ignored", reported.MessageId, report.OrderId);
            return;
        }
        var facts = Facts(order, reported);
        if (facts.Count == 0)
        {
            _ignored++;
            return;
        }
        ApplyAll(order, facts);
    }

    /// <summary>What a report adds to what we know, each fact under its key; nothing for a repeat or a contradiction (logged).</summary>
    private List<Mt4ReportApplied> Facts(Order order, EaExecutionReported reported)
    {
        var r = reported.Report;
        var at = r.Time.UtcDateTime;
        var source = reported.MessageId;
        var facts = new List<Mt4ReportApplied>();
        switch (r.Status)
        {
            case ExecutionStatus.Filled when r.Trigger is not null:
                if (StopClose(order, reported) is { } close) facts.Add(close);
                break;
            case ExecutionStatus.Accepted when !order.Keys.Contains("accepted") && order.RejectReason is null:
                facts.Add(Fact(order, "accepted", ExecutionStatus.Accepted, r.BrokerOrderId ?? "mt4-" + order.Sent.ClientOrderId, null, null, null, null, null, at, source));
                break;
            case ExecutionStatus.Rejected when order.RejectReason is null && !order.Accepted:
                facts.Add(Fact(order, "rejected", ExecutionStatus.Rejected, null, null, null, null, null, r.Reason ?? "rejected by the EA", at, source));
                break;
            case ExecutionStatus.Filled:
                if (r.FillId is not { Length: > 0 } fillId || r.Quantity is not { } qty || r.Price is not { } price)
                {
                    Log.Warning("EXECUTION_REPORT {MessageId} FILLED without fill_id, quantity and price: ignored", source);
                    break;
                }
                if (order.Keys.Contains("fill:" + fillId) || order.RejectReason is not null) break;
                var remaining = order.Sent.Quantity - order.Filled;
                var quantity = ToDecimal(qty) * _settings.LotSize;
                // Lots as a double that mean exactly what is left fill what is left (no dust from the binary fraction).
                if (Math.Abs(quantity - remaining) < 1e-6m) quantity = remaining;
                if (quantity <= 0 || quantity > remaining)
                {
                    Log.Warning("EXECUTION_REPORT {MessageId} fills {Quantity} of order {OrderId}, which has {Remaining} left: ignored", source, qty, r.OrderId, remaining);
                    break;
                }
                var brokerOrderId = order.BrokerOrderId ?? r.BrokerOrderId ?? "mt4-" + order.Sent.ClientOrderId;
                // A fill implies the acceptance the EA may not have reported yet (or whose report was lost).
                if (!order.Accepted) facts.Add(Fact(order, "accepted", ExecutionStatus.Accepted, brokerOrderId, null, null, null, null, null, at, source));
                facts.Add(Fact(order, "fill:" + fillId, ExecutionStatus.Filled, brokerOrderId, fillId, quantity, ToDecimal(price),
                    ToDecimal(r.Commission ?? 0), null, at, source));
                break;
            case ExecutionStatus.Unknown when !order.Delivered && !order.IsFinal && !order.Accepted && _time.GetUtcNow() >= order.Sent.ExpiresAt:
                // The EA never had it and will refuse it from now on (stale): it can no longer be executed anywhere.
                facts.Add(Fact(order, "rejected", ExecutionStatus.Rejected, null, null, null, null, null,
                    $"never reached the EA before it expired at {Timestamps.Format(order.Sent.ExpiresAt)}", at, source));
                break;
        }
        return facts;
    }

    /// <summary>
    /// The EA closed the order's position at its stop-loss or take-profit: booked as the order's -SL / -TP child fill
    /// (as the paper broker reports its protective children), under its own fill id, so the order itself stays as it is.
    /// </summary>
    private Mt4ReportApplied? StopClose(Order order, EaExecutionReported reported)
    {
        var r = reported.Report;
        var source = reported.MessageId;
        if (r.FillId is not { Length: > 0 } fillId || r.Quantity is not { } qty || r.Price is not { } price)
        {
            Log.Warning("EXECUTION_REPORT {MessageId} ({Trigger}) without fill_id, quantity and price: ignored", source, r.Trigger);
            return null;
        }
        if (order.Keys.Contains("fill:" + fillId)) return null;
        if (r.Trigger is not (ExecutionTrigger.StopLoss or ExecutionTrigger.TakeProfit))
        {
            Log.Warning("EXECUTION_REPORT {MessageId} names trigger {Trigger}, neither STOP_LOSS nor TAKE_PROFIT: ignored", source, r.Trigger);
            return null;
        }
        if (order.RejectReason is not null)
        {
            Log.Warning("EXECUTION_REPORT {MessageId} closes the position of order {OrderId}, which was rejected ({Reason}): ignored", source, r.OrderId, order.RejectReason);
            return null;
        }
        var exitSide = SideOf(order.Sent) == Side.Buy ? "SELL" : "BUY";
        if (r.Side is { } side && side != exitSide)
        {
            Log.Warning("EXECUTION_REPORT {MessageId} closes a {OrderSide} position of order {OrderId} with a {Side}: ignored", source, order.Sent.Side, r.OrderId, side);
            return null;
        }
        var open = order.Sent.Quantity - order.Exited;
        var quantity = ToDecimal(qty) * _settings.LotSize;
        if (Math.Abs(quantity - open) < 1e-6m) quantity = open;
        if (quantity <= 0 || quantity > open)
        {
            Log.Warning("EXECUTION_REPORT {MessageId} closes {Quantity} of order {OrderId}'s position, which has at most {Open} open: ignored", source, qty, r.OrderId, open);
            return null;
        }
        var brokerOrderId = r.BrokerOrderId ?? order.BrokerOrderId ?? "mt4-" + order.Sent.ClientOrderId;
        return Fact(order, "fill:" + fillId, ExecutionStatus.Filled, brokerOrderId, fillId, quantity, ToDecimal(price), ToDecimal(r.Commission ?? 0),
            r.Reason, r.Time.UtcDateTime, source) with { Trigger = r.Trigger, Side = exitSide };
    }

    private static string ChildIdOf(Mt4OrderSent sent, Mt4ReportApplied exit) =>
        sent.ClientOrderId + (exit.Trigger == ExecutionTrigger.StopLoss ? "-SL" : "-TP");

    private static BrokerOrderRole RoleOf(Mt4ReportApplied exit) =>
        exit.Trigger == ExecutionTrigger.StopLoss ? BrokerOrderRole.StopLoss : BrokerOrderRole.TakeProfit;

    private static Side ExitSideOf(Mt4ReportApplied exit) => exit.Side == "BUY" ? Side.Buy : Side.Sell;

    private static decimal ToDecimal(double value) => decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static Mt4ReportApplied Fact(Order order, string key, string status, string? brokerOrderId, string? fillId, decimal? quantity, decimal? price,
        decimal? fee, string? reason, DateTime at, string source) =>
        new(key, order.Sent.ClientOrderId, status, brokerOrderId, fillId, quantity, price, fee, reason, at, source);

    /// <summary>Journal first, then tell orders and ledger: a restarted broker knows what it already applied.</summary>
    private void ApplyAll(Order order, List<Mt4ReportApplied> facts)
    {
        var last = facts[^1];
        PersistAll(facts, e =>
        {
            Apply(e);
            _applied++;
            if (!ReferenceEquals(e, last)) return;
            if (!order.Delivered && order.Accepted)
            {
                order.Delivered = true; // a report is proof of delivery, even when the ACK was lost
                NotifyDelivered(order);
            }
            else if (order.RejectReason is not null) _awaitingDelivery.Remove(order.Sent.ClientOrderId);
            Forward(order, facts);
        });
    }

    private void Apply(Mt4ReportApplied e)
    {
        if (!_byClientId.TryGetValue(e.ClientOrderId, out var order)) return;
        order.Keys.Add(e.Key);
        if (e.IsStopClose)
        {
            order.Exits.Add(e);
            return;
        }
        switch (e.Status)
        {
            case ExecutionStatus.Accepted:
                order.Accepted = true;
                order.Delivered = true;
                order.BrokerOrderId = e.BrokerOrderId;
                break;
            case ExecutionStatus.Rejected:
                order.RejectReason = e.Reason;
                _rejections[e.ClientOrderId] = e;
                break;
            case ExecutionStatus.Filled:
                order.Accepted = true;
                order.Delivered = true;
                order.Filled += e.Quantity ?? 0;
                order.Fills.Add(e);
                break;
        }
    }

    private void Forward(Order order, List<Mt4ReportApplied> facts)
    {
        var events = new List<IOrderEvent>();
        foreach (var report in facts.Select(f => ToExecutionReport(order, f)))
        {
            if (ExecutionReportTranslation.ToOrderEvent(report) is { } orderEvent) events.Add(orderEvent);
            if (ExecutionReportTranslation.ToLedgerEvent(report) is { } ledgerEvent) _ledger.Tell(new BookLedgerEvent(ledgerEvent), Self);
        }
        if (events.Count > 0)
            _orders.Tell(events.Count == 1 ? new ApplyBrokerReport(order.Sent.ClientOrderId, events[0]) : new ApplyBrokerReports(order.Sent.ClientOrderId, events), Self);
    }

    private IExecutionReport ToExecutionReport(Order order, Mt4ReportApplied f)
    {
        var s = order.Sent;
        if (f.IsStopClose)
            return new BrokerOrderFilled(ChildIdOf(s, f), f.BrokerOrderId!, f.FillId!, s.Symbol, ExitSideOf(f), f.Quantity!.Value, f.Price!.Value,
                f.Fee ?? 0m, 0m, RoleOf(f), f.TimeUtc);
        return f.Status switch
        {
            ExecutionStatus.Accepted => new BrokerOrderAccepted(s.ClientOrderId, f.BrokerOrderId!, f.TimeUtc),
            ExecutionStatus.Filled => new BrokerOrderFilled(s.ClientOrderId, f.BrokerOrderId!, f.FillId!, s.Symbol, SideOf(s), f.Quantity!.Value, f.Price!.Value,
                f.Fee ?? 0m, s.Quantity - FilledUpTo(order, f), BrokerOrderRole.Entry, f.TimeUtc),
            _ => new BrokerOrderRejected(s.ClientOrderId, f.Reason ?? "rejected", f.TimeUtc),
        };
    }

    private static decimal FilledUpTo(Order order, Mt4ReportApplied fill)
    {
        var filled = 0m;
        foreach (var f in order.Fills)
        {
            filled += f.Quantity ?? 0;
            if (ReferenceEquals(f, fill)) break;
        }
        return filled;
    }

    private static Side SideOf(Mt4OrderSent s) => s.Side == "BUY" ? Side.Buy : Side.Sell;

    private void OnCancel(CancelAtBroker c)
    {
        if (!_byClientId.ContainsKey(c.ClientOrderId)) return;
        // Protocol 1.x has no cancel message: a TRADE, once handed to the EA, runs its course (or expires unexecuted).
        var refused = new BrokerCancelRejected(c.ClientOrderId, "the MT4 bridge cannot cancel an order it has sent; it fills or expires at its expires_at", c.TimeUtc);
        if (ExecutionReportTranslation.ToOrderEvent(refused) is { } e) _orders.Tell(new ApplyBrokerReport(c.ClientOrderId, e), Self);
    }

    private void OnCheck()
    {
        var now = _time.GetUtcNow();
        var ask = new List<Order>();
        foreach (var order in _inOrder)
        {
            if (order.IsFinal) continue;
            if (!order.Delivered && now < order.Sent.ExpiresAt)
            {
                if (now - order.LastHandedOver < _settings.CheckInterval) continue;
                _resent++;
                HandOver(order);
            }
            else if (!order.Accepted || order.Filled < order.Sent.Quantity) ask.Add(order);
        }
        AskEa(ask);
    }

    /// <summary>STATUS_REQUEST naming the orders: the EA answers each with its reports again (or UNKNOWN).</summary>
    private void AskEa(IReadOnlyList<Order> orders)
    {
        foreach (var batch in orders.Chunk(_settings.StatusBatch))
        {
            _statusRequests++;
            var request = _factory.Create(MessageType.StatusRequest, new StatusRequestPayload { OrderIds = batch.Select(o => o.Sent.ClientOrderId).ToList() });
            Context.ActorSelection(_settings.RouterPath).Tell(new RouteMessage(request), Self);
        }
    }

    /// <summary>What the EA has reported, as reconciliation reads a broker: orders and fills, positions from the fills,
    /// and as pending the orders handed over without an answer yet (neither accepted nor unknown).</summary>
    private BrokerStateReport Report(string? onlyClientOrderId)
    {
        var wanted = _inOrder.Where(o => onlyClientOrderId is null || o.Sent.ClientOrderId == onlyClientOrderId).ToList();
        var views = new List<BrokerOrderView>();
        var fills = new List<BrokerFillView>();
        var pending = new List<string>();
        foreach (var order in wanted)
        {
            var s = order.Sent;
            if (order.RejectReason is not null)
            {
                // One order asked about: the rejection is re-sent to it, it waits for that. Reconciliation: canceled at the broker.
                if (onlyClientOrderId is not null) pending.Add(s.ClientOrderId);
                else views.Add(new BrokerOrderView(s.ClientOrderId, order.BrokerOrderId ?? "mt4-rejected-" + s.ClientOrderId, s.Symbol, SideOf(s), s.Quantity, 0m,
                    BrokerOrderStatus.Canceled, null));
                continue;
            }
            // The EA's stop closes, as the paper broker shows its protective children: a filled child order and its fill.
            foreach (var exit in order.Exits)
            {
                var childId = ChildIdOf(s, exit);
                views.Add(new BrokerOrderView(childId, exit.BrokerOrderId!, s.Symbol, ExitSideOf(exit), exit.Quantity!.Value, exit.Quantity!.Value,
                    BrokerOrderStatus.Filled, s.ClientOrderId));
                fills.Add(new BrokerFillView(exit.FillId!, childId, s.Symbol, ExitSideOf(exit), exit.Quantity!.Value, exit.Price!.Value, exit.Fee ?? 0m, exit.TimeUtc));
            }
            if (!order.Accepted)
            {
                pending.Add(s.ClientOrderId);
                continue;
            }
            views.Add(new BrokerOrderView(s.ClientOrderId, order.BrokerOrderId!, s.Symbol, SideOf(s), s.Quantity, order.Filled,
                order.Filled >= s.Quantity ? BrokerOrderStatus.Filled : BrokerOrderStatus.Working, null));
            fills.AddRange(order.Fills.Select(f => new BrokerFillView(f.FillId!, s.ClientOrderId, s.Symbol, SideOf(s), f.Quantity!.Value, f.Price!.Value, f.Fee ?? 0m, f.TimeUtc)));
        }
        var positions = onlyClientOrderId is null ? Positions() : [];
        var snapshot = new BrokerSnapshot(_time.GetUtcNow().UtcDateTime, views, fills, positions);
        return new BrokerStateReport(snapshot, pending.Order(StringComparer.Ordinal).ToList());
    }

    private List<BrokerPositionView> Positions()
    {
        var bySymbol = new SortedDictionary<string, (decimal Quantity, decimal Average)>(StringComparer.Ordinal);
        var executions = _inOrder.SelectMany(o => o.Fills.Select(f => (Order: o, Fill: f, Side: SideOf(o.Sent)))
            .Concat(o.Exits.Select(e => (Order: o, Fill: e, Side: ExitSideOf(e)))));
        foreach (var (order, fill, side) in executions.OrderBy(p => p.Fill.TimeUtc))
        {
            var signed = side == Side.Buy ? fill.Quantity!.Value : -fill.Quantity!.Value;
            var (quantity, average) = bySymbol.GetValueOrDefault(order.Sent.Symbol);
            var next = quantity + signed;
            if (quantity == 0 || Math.Sign(quantity) == Math.Sign(signed)) average = (average * Math.Abs(quantity) + fill.Price!.Value * Math.Abs(signed)) / Math.Abs(next);
            else if (Math.Sign(next) != Math.Sign(quantity) && next != 0) average = fill.Price!.Value;
            bySymbol[order.Sent.Symbol] = (next, next == 0 ? 0 : average);
        }
        return bySymbol.Where(p => p.Value.Quantity != 0).Select(p => new BrokerPositionView(p.Key, p.Value.Quantity, p.Value.Average)).ToList();
    }
}
