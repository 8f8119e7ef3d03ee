using System.Globalization;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Simulator;

/// <summary>One order as the simulated EA's account holds it, and the reports it produced (answered again on request).</summary>
public sealed record EaOrderRecord(string OrderId, string Symbol, string Side, double Volume, string Ticket, IReadOnlyList<ExecutionReportPayload> Reports);

/// <summary>An open position (one per filled order, as MT4 tickets are) and the stops the broker side holds for it.</summary>
public sealed record EaPosition(string OrderId, string Ticket, string Symbol, string Side, double Volume, double OpenPrice, double? StopLoss, double? TakeProfit);

/// <summary>A LIMIT or STOP order waiting for the market to reach its price.</summary>
public sealed record EaPendingOrder(string OrderId, string Ticket, string Symbol, string Side, string OrderType, double Volume, double Price, double? StopLoss, double? TakeProfit);

/// <summary>
/// The simulated EA's own paper account, playing the broker side of MT4:
/// <list type="bullet">
/// <item>MARKET fills at once at the last quote streamed for its symbol (ask for a buy, bid for a sell); no quote yet
/// is a rejection.</item>
/// <item>LIMIT and STOP are accepted and wait (they need a price); each later quote that reaches the price fills them:
/// buy LIMIT at ask ≤ price, sell LIMIT at bid ≥ price, buy STOP at ask ≥ price, sell STOP at bid ≤ price, at that
/// quote's ask (buy) or bid (sell).</item>
/// <item>A filled order is an open position holding its stop-loss and take-profit, so it stays protected while HueyP
/// is away: a long closes (sells at the bid) once bid ≤ stop-loss or bid ≥ take-profit, a short closes (buys at the
/// ask) once ask ≥ stop-loss or ask ≤ take-profit. Stops are watched from the quote after the fill on, so the quote
/// that opened a position cannot also close it.</item>
/// <item>CLOSE is rejected (protocol 1.x cannot name the position to close).</item>
/// </list>
/// Every order gets an MT4-style ticket and its reports are kept, so a STATUS_REQUEST naming the order is answered with
/// the same facts (fresh message ids, same fill ids). Thread-safe; the clock is whatever the caller passes.
/// </summary>
public sealed class EaAccount
{
    private sealed class Held(long ticket, EaOrderRecord record, string refMessageId, string type, double? price, double? stopLoss, double? takeProfit)
    {
        public long Ticket { get; } = ticket;
        public EaOrderRecord Record { get; set; } = record;
        public string RefMessageId { get; } = refMessageId;
        public string Type { get; } = type;
        public double? Price { get; } = price;
        public double? StopLoss { get; } = stopLoss;
        public double? TakeProfit { get; } = takeProfit;
        public bool Pending;
        public bool Open;
        public double OpenPrice;

        public bool IsProtected => StopLoss is not null || TakeProfit is not null;

        /// <summary>The quote count when the position opened: its stops are watched only on later quotes.</summary>
        public long OpenedAtQuote;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (double Bid, double Ask)> _quotes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Held> _orders = new(StringComparer.Ordinal);

    /// <summary>What a quote can execute: pending orders and positions with a stop (by ticket), not every order ever seen.</summary>
    private readonly SortedDictionary<long, Held> _watched = new();

    private long _ticket = 1000;
    private long _quoteCount;

    /// <summary>Commission charged per unit of volume (0 by default), on every fill including stop closes.</summary>
    public double CommissionPerVolume { get; init; }

    /// <summary>
    /// Takes a quote: fills the pending orders it reaches and closes the positions whose stop-loss or take-profit it
    /// crosses. Returns the reports of those executions (also kept with their orders), positions first, each group in
    /// ticket order.
    /// </summary>
    public IReadOnlyList<ExecutionReportPayload> OnQuote(string symbol, double bid, double ask, DateTimeOffset now)
    {
        lock (_lock)
        {
            _quotes[symbol] = (bid, ask);
            var quote = ++_quoteCount;
            List<ExecutionReportPayload>? reports = null;
            // Positions before pending orders (a pending order filled now is watched for its stops from the next quote).
            var due = _watched.Values.Where(h => h.Record.Symbol == symbol).OrderBy(h => h.Open ? 0 : 1).ToList();
            foreach (var held in due)
            {
                var report = held.Open ? (held.OpenedAtQuote < quote ? StopHit(held, bid, ask, now) : null) : PendingReached(held, bid, ask, now);
                if (report is null) continue;
                held.Record = held.Record with { Reports = [.. held.Record.Reports, report] };
                (reports ??= []).Add(report);
                if (!held.Pending && !(held.Open && held.IsProtected)) _watched.Remove(held.Ticket);
            }
            return reports ?? (IReadOnlyList<ExecutionReportPayload>)[];
        }
    }

    public IReadOnlyCollection<EaOrderRecord> Orders
    {
        get { lock (_lock) return _orders.Values.Select(h => h.Record).ToArray(); }
    }

    /// <summary>Open positions, in ticket order.</summary>
    public IReadOnlyList<EaPosition> Positions
    {
        get
        {
            lock (_lock)
                return _orders.Values.Where(h => h.Open).OrderBy(h => h.Ticket)
                    .Select(h => new EaPosition(h.Record.OrderId, h.Record.Ticket, h.Record.Symbol, h.Record.Side, h.Record.Volume, h.OpenPrice, h.StopLoss, h.TakeProfit))
                    .ToArray();
        }
    }

    /// <summary>LIMIT and STOP orders not filled yet, in ticket order.</summary>
    public IReadOnlyList<EaPendingOrder> PendingOrders
    {
        get
        {
            lock (_lock)
                return _orders.Values.Where(h => h.Pending).OrderBy(h => h.Ticket)
                    .Select(h => new EaPendingOrder(h.Record.OrderId, h.Record.Ticket, h.Record.Symbol, h.Record.Side, h.Type, h.Record.Volume, h.Price!.Value, h.StopLoss, h.TakeProfit))
                    .ToArray();
        }
    }

    public EaOrderRecord? Find(string orderId)
    {
        lock (_lock) return _orders.GetValueOrDefault(orderId)?.Record;
    }

    /// <summary>Executes a TRADE or SIGNAL once per order id; a second call returns the first outcome unchanged.</summary>
    public IReadOnlyList<ExecutionReportPayload> Execute(BridgeMessage order, DateTimeOffset now)
    {
        var payload = Payloads.Read<OrderPayload>(order.Payload);
        lock (_lock)
        {
            if (_orders.TryGetValue(payload.OrderId, out var known)) return known.Record.Reports;
            var number = ++_ticket;
            var ticket = number.ToString(CultureInfo.InvariantCulture);
            var side = payload.Side == OrderSide.Buy ? "BUY" : "SELL";
            var type = payload.OrderType ?? "MARKET";
            var held = new Held(number, new EaOrderRecord(payload.OrderId, payload.Symbol, side, payload.Volume, ticket, []), order.MessageId, type,
                payload.Price, payload.StopLoss, payload.TakeProfit);
            List<ExecutionReportPayload> reports;
            switch (type)
            {
                case "MARKET" when _quotes.TryGetValue(payload.Symbol, out var quote):
                    reports = [Accepted(held, now), Fill(held, payload.Side == OrderSide.Buy ? quote.Ask : quote.Bid, now)];
                    if (held.IsProtected) _watched[number] = held;
                    break;
                case "MARKET":
                    reports = [Rejected(held, now, $"no price for {payload.Symbol} yet")];
                    break;
                case "LIMIT" or "STOP" when payload.Price is not > 0:
                    reports = [Rejected(held, now, $"a {type} order needs a price above 0")];
                    break;
                case "LIMIT" or "STOP":
                    held.Pending = true;
                    _watched[number] = held;
                    reports = [Accepted(held, now)];
                    break;
                default:
                    reports = [Rejected(held, now, $"{type} orders are not executed by this simulator (protocol 1.x cannot name the position to close)")];
                    break;
            }
            held.Record = held.Record with { Reports = reports };
            _orders[payload.OrderId] = held;
            return reports;
        }
    }

    /// <summary>What the account knows of each id: its reports, or one UNKNOWN report for an id it never received.</summary>
    public IReadOnlyList<ExecutionReportPayload> Status(IEnumerable<string> orderIds, DateTimeOffset now)
    {
        var reports = new List<ExecutionReportPayload>();
        lock (_lock)
        {
            foreach (var id in orderIds)
            {
                if (_orders.TryGetValue(id, out var known)) reports.AddRange(known.Record.Reports);
                else reports.Add(new ExecutionReportPayload(id, ExecutionStatus.Unknown, now) { Reason = "no order with this id was received" });
            }
        }
        return reports;
    }

    private ExecutionReportPayload? PendingReached(Held held, double bid, double ask, DateTimeOffset now)
    {
        var buy = held.Record.Side == "BUY";
        var price = held.Price!.Value;
        var reached = (held.Type, buy) switch
        {
            ("LIMIT", true) => ask <= price,
            ("LIMIT", false) => bid >= price,
            ("STOP", true) => ask >= price,
            _ => bid <= price,
        };
        if (!reached) return null;
        held.Pending = false;
        return Fill(held, buy ? ask : bid, now);
    }

    private ExecutionReportPayload? StopHit(Held held, double bid, double ask, DateTimeOffset now)
    {
        var closedLong = held.Record.Side == "BUY";
        // A long is closed by selling at the bid, a short by buying at the ask.
        var price = closedLong ? bid : ask;
        var stopHit = held.StopLoss is { } sl && (closedLong ? bid <= sl : ask >= sl);
        var targetHit = held.TakeProfit is { } tp && (closedLong ? bid >= tp : ask <= tp);
        if (!stopHit && !targetHit) return null;
        // Both at once only with stops set the wrong way round: the loss is assumed, the conservative reading.
        var (trigger, level, suffix) = stopHit ? (ExecutionTrigger.StopLoss, held.StopLoss!.Value, "SL") : (ExecutionTrigger.TakeProfit, held.TakeProfit!.Value, "TP");
        held.Open = false;
        var record = held.Record;
        var name = stopHit ? "stop-loss" : "take-profit";
        return new ExecutionReportPayload(record.OrderId, ExecutionStatus.Filled, now)
        {
            RefMessageId = held.RefMessageId,
            BrokerOrderId = record.Ticket,
            FillId = $"{record.Ticket}-{suffix}",
            Quantity = record.Volume,
            Price = price,
            Commission = CommissionPerVolume * record.Volume,
            Remaining = 0,
            Side = closedLong ? "SELL" : "BUY",
            Trigger = trigger,
            Reason = string.Create(CultureInfo.InvariantCulture,
                $"{name} {level} reached: position {record.Ticket} ({record.Side} {record.Volume}) closed at {(closedLong ? "bid" : "ask")} {price}"),
        };
    }

    private ExecutionReportPayload Fill(Held held, double price, DateTimeOffset now)
    {
        held.Open = true;
        held.OpenPrice = price;
        held.OpenedAtQuote = _quoteCount;
        var record = held.Record;
        return new(record.OrderId, ExecutionStatus.Filled, now)
        {
            RefMessageId = held.RefMessageId, BrokerOrderId = record.Ticket, FillId = $"{record.Ticket}-1", Quantity = record.Volume, Price = price,
            Commission = CommissionPerVolume * record.Volume, Remaining = 0,
        };
    }

    private static ExecutionReportPayload Accepted(Held held, DateTimeOffset now) =>
        new(held.Record.OrderId, ExecutionStatus.Accepted, now) { RefMessageId = held.RefMessageId, BrokerOrderId = held.Record.Ticket };

    private static ExecutionReportPayload Rejected(Held held, DateTimeOffset now, string reason) =>
        new(held.Record.OrderId, ExecutionStatus.Rejected, now) { RefMessageId = held.RefMessageId, Reason = reason };
}
