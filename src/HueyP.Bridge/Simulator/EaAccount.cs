using System.Globalization;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Simulator;

/// <summary>One order as the simulated EA's account holds it, and the reports it produced (answered again on request).</summary>
public sealed record EaOrderRecord(string OrderId, string Symbol, string Side, double Volume, string Ticket, IReadOnlyList<ExecutionReportPayload> Reports);

/// <summary>
/// The simulated EA's own paper account: a MARKET order fills at once at the last quote the terminal streamed for its
/// symbol (ask for a buy, bid for a sell); LIMIT, STOP and CLOSE are rejected (this simulator executes market orders
/// only); no quote for the symbol yet is a rejection. Every order gets an MT4-style ticket and its reports are kept,
/// so a STATUS_REQUEST naming the order is answered with the same facts (fresh message ids, same fill ids).
/// Stop-loss and take-profit are recorded with the order but not executed. Thread-safe.
/// </summary>
public sealed class EaAccount
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (double Bid, double Ask)> _quotes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EaOrderRecord> _orders = new(StringComparer.Ordinal);
    private long _ticket = 1000;

    /// <summary>Commission charged per unit of volume (0 by default).</summary>
    public double CommissionPerVolume { get; init; }

    public void OnQuote(string symbol, double bid, double ask)
    {
        lock (_lock) _quotes[symbol] = (bid, ask);
    }

    public IReadOnlyCollection<EaOrderRecord> Orders
    {
        get { lock (_lock) return _orders.Values.ToArray(); }
    }

    public EaOrderRecord? Find(string orderId)
    {
        lock (_lock) return _orders.GetValueOrDefault(orderId);
    }

    /// <summary>Executes a TRADE or SIGNAL once per order id; a second call returns the first outcome unchanged.</summary>
    public IReadOnlyList<ExecutionReportPayload> Execute(BridgeMessage order, DateTimeOffset now)
    {
        var payload = Payloads.Read<OrderPayload>(order.Payload);
        lock (_lock)
        {
            if (_orders.TryGetValue(payload.OrderId, out var known)) return known.Reports;
            var ticket = (++_ticket).ToString(CultureInfo.InvariantCulture);
            var side = payload.Side == OrderSide.Buy ? "BUY" : "SELL";
            var type = payload.OrderType ?? "MARKET";
            List<ExecutionReportPayload> reports;
            if (type != "MARKET")
                reports = [Rejected(payload.OrderId, order.MessageId, now, $"{type} orders are not executed by this simulator (market orders only)")];
            else if (!_quotes.TryGetValue(payload.Symbol, out var quote))
                reports = [Rejected(payload.OrderId, order.MessageId, now, $"no price for {payload.Symbol} yet")];
            else
            {
                var price = payload.Side == OrderSide.Buy ? quote.Ask : quote.Bid;
                reports =
                [
                    new(payload.OrderId, ExecutionStatus.Accepted, now) { RefMessageId = order.MessageId, BrokerOrderId = ticket },
                    new(payload.OrderId, ExecutionStatus.Filled, now)
                    {
                        RefMessageId = order.MessageId, BrokerOrderId = ticket, FillId = $"{ticket}-1", Quantity = payload.Volume, Price = price,
                        Commission = CommissionPerVolume * payload.Volume, Remaining = 0,
                    },
                ];
            }
            _orders[payload.OrderId] = new EaOrderRecord(payload.OrderId, payload.Symbol, side, payload.Volume, ticket, reports);
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
                if (_orders.TryGetValue(id, out var known)) reports.AddRange(known.Reports);
                else reports.Add(new ExecutionReportPayload(id, ExecutionStatus.Unknown, now) { Reason = "no order with this id was received" });
            }
        }
        return reports;
    }

    private static ExecutionReportPayload Rejected(string orderId, string messageId, DateTimeOffset now, string reason) =>
        new(orderId, ExecutionStatus.Rejected, now) { RefMessageId = messageId, Reason = reason };
}
