using System.Globalization;
using HueyP.Domain.Ledger;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Broker;

/// <summary>
/// Deterministic paper matching. Market orders wait for the NEXT quote and fill at its ask (buy) or bid (sell) plus
/// adverse slippage; limits fill when the market trades through the limit (at the better of limit and quote);
/// stops trigger when the quote crosses the stop and fill like market orders. An entry with stop-loss/take-profit
/// spawns two broker-side children (stop and limit, opposite side, one OCO group) sized to what has been filled;
/// when one fills, the other shrinks and is canceled once nothing is left to protect.
/// Pure: the actor feeds quotes and requests, adds latency, and forwards the execution reports.
/// </summary>
public static class PaperBroker
{
    public static (PaperBrokerState State, IReadOnlyList<IExecutionReport> Reports) Submit(
        PaperBrokerState state, BrokerOrderRequest request, DateTime nowUtc)
    {
        var rejection = RejectionReason(state, request, nowUtc);
        if (rejection is not null) return (state, [new BrokerOrderRejected(request.ClientOrderId, rejection, nowUtc)]);

        var (brokerId, next) = NewOrderId(state);
        var order = new BrokerOrder(brokerId, request.ClientOrderId, state.Options.Find(request.Symbol)!.Symbol, request.Side,
            request.Type, request.Quantity, 0m, request.Price, request.StopLoss, request.TakeProfit, BrokerOrderRole.Entry,
            null, BrokerOrderStatus.Working, nowUtc);
        next = next.WithNewOrder(order);
        return (next, [new BrokerOrderAccepted(request.ClientOrderId, brokerId, nowUtc)]);
    }

    public static (PaperBrokerState State, IReadOnlyList<IExecutionReport> Reports) Cancel(
        PaperBrokerState state, string clientOrderId, DateTime nowUtc)
    {
        var order = state.FindByClientId(clientOrderId);
        if (order is null) return (state, [new BrokerCancelRejected(clientOrderId, "unknown order", nowUtc)]);
        if (order.Status != BrokerOrderStatus.Working)
            return (state, [new BrokerCancelRejected(clientOrderId, $"order is already {order.Status.ToString().ToLowerInvariant()}", nowUtc)]);
        var reports = new List<IExecutionReport>();
        var next = CancelOrder(state, order, "canceled by client", nowUtc, reports);
        return (next, reports);
    }

    public static (PaperBrokerState State, IReadOnlyList<IExecutionReport> Reports) OnQuote(PaperBrokerState state, Quote quote)
    {
        var symbol = state.Options.Find(quote.Symbol)
            ?? throw new ArgumentException($"unknown symbol {quote.Symbol}", nameof(quote));
        if (!PriceConversion.TryToDecimal(quote.Bid, "bid", out var bid, out var error)
            || !PriceConversion.TryToDecimal(quote.Ask, "ask", out var ask, out error))
            throw new ArgumentException($"quote for {quote.Symbol}: {error}", nameof(quote));
        if (ask < bid) throw new ArgumentException($"quote for {quote.Symbol}: ask {ask} is below bid {bid}", nameof(quote));

        var book = new BrokerQuote(bid, ask, quote.TimeUtc);
        var reports = new List<IExecutionReport>();
        // Only orders working before this quote arrived may fill on it; children born from a fill wait for the next.
        var candidates = state.OpenOrders.Where(o => o.Symbol == symbol.Symbol && o.SubmittedUtc <= quote.TimeUtc)
            .Select(o => o.BrokerOrderId).ToList();
        var next = state with { LastQuotes = state.LastQuotes.SetItem(symbol.Symbol, book) };
        foreach (var id in candidates)
        {
            var order = next.Orders[id];
            if (order.Status != BrokerOrderStatus.Working) continue;   // an OCO sibling may have canceled it
            var price = MatchPrice(order, book, symbol, next.Options);
            if (price is null) continue;
            next = Execute(next, order, price.Value, quote.TimeUtc, reports);
        }
        return (next, reports);
    }

    private static string? RejectionReason(PaperBrokerState state, BrokerOrderRequest request, DateTime nowUtc)
    {
        if (request.Quantity <= 0) return $"quantity must be positive, got {N(request.Quantity)}";
        var symbol = state.Options.Find(request.Symbol);
        if (symbol is null) return $"unknown symbol {request.Symbol}";
        if (!state.Options.EffectiveHours.IsOpen(nowUtc)) return $"market closed for {symbol.Symbol} at {nowUtc:yyyy-MM-dd HH:mm} UTC";
        if (state.FindByClientId(request.ClientOrderId) is not null) return $"duplicate client order id {request.ClientOrderId}";
        if (request.Type != OrderType.Market && request.Price is null or <= 0) return $"a {request.Type} order needs a positive price";

        var reference = state.LastQuotes.GetValueOrDefault(symbol.Symbol)?.Mid ?? request.Price;
        if (reference is null) return $"no price yet for {symbol.Symbol}";
        var signed = request.Side == Side.Buy ? request.Quantity : -request.Quantity;
        var projected = state.Positions.Values.Select(p => (p.Symbol, p.Quantity)).Where(p => p.Symbol != symbol.Symbol)
            .Append((symbol.Symbol, state.QuantityOf(symbol.Symbol) + signed));
        var projectedMargin = projected.Sum(p => Math.Abs(p.Item2) * (p.Item1 == symbol.Symbol ? reference.Value : PriceOf(state, p.Item1)))
            / state.Options.Leverage;
        return projectedMargin > state.Equity
            ? $"insufficient margin: {N(Math.Round(projectedMargin, 2))} required, equity {N(Math.Round(state.Equity, 2))}"
            : null;
    }

    private static decimal PriceOf(PaperBrokerState state, string symbol) =>
        state.LastQuotes.GetValueOrDefault(symbol)?.Mid ?? state.Positions.GetValueOrDefault(symbol)?.AveragePrice ?? 0m;

    private static decimal? MatchPrice(BrokerOrder order, BrokerQuote q, PaperSymbol symbol, PaperBrokerOptions options)
    {
        var buy = order.Side == Side.Buy;
        var touch = buy ? q.Ask : q.Bid;
        return order.Type switch
        {
            OrderType.Market => Slipped(touch, buy, symbol, options),
            OrderType.Limit when buy && q.Ask <= order.Price => Math.Min(q.Ask, order.Price!.Value),
            OrderType.Limit when !buy && q.Bid >= order.Price => Math.Max(q.Bid, order.Price!.Value),
            OrderType.Stop when buy && q.Ask >= order.Price => Slipped(touch, buy, symbol, options),
            OrderType.Stop when !buy && q.Bid <= order.Price => Slipped(touch, buy, symbol, options),
            _ => null,
        };
    }

    private static decimal Slipped(decimal touch, bool buy, PaperSymbol symbol, PaperBrokerOptions options)
    {
        var slip = options.SlippageUnit == SlippageUnit.Pips ? options.Slippage * symbol.PipSize : touch * options.Slippage;
        return Math.Round(buy ? touch + slip : touch - slip, PriceConversion.DecimalPlaces, MidpointRounding.ToEven);
    }

    private static PaperBrokerState Execute(PaperBrokerState state, BrokerOrder order, decimal price, DateTime timeUtc, List<IExecutionReport> reports)
    {
        var (quantity, rngState) = FillQuantity(state, order);
        var fee = Math.Round(quantity * price * state.Options.CommissionPerMillion / 1_000_000m, 2, MidpointRounding.ToEven);
        var fillId = $"{order.BrokerOrderId}-F{state.NextFillNumber.ToString("D6", CultureInfo.InvariantCulture)}";
        var filled = order with { FilledQuantity = order.FilledQuantity + quantity };
        if (filled.RemainingQuantity == 0m) filled = filled with { Status = BrokerOrderStatus.Filled };

        var position = state.Positions.GetValueOrDefault(order.Symbol) ?? new BrokerPosition(order.Symbol, 0m, 0m);
        var netted = Netting.Apply(position.Quantity, position.AveragePrice, order.Side == Side.Buy ? quantity : -quantity, price);
        var next = state.WithChangedOrder(filled) with
        {
            RngState = rngState,
            NextFillNumber = state.NextFillNumber + 1,
            Positions = state.Positions.SetItem(order.Symbol, new BrokerPosition(order.Symbol, netted.Quantity, netted.AveragePrice)),
            Balance = state.Balance + netted.RealizedPnl - fee,
            Fills = state.Fills.Add(new BrokerFillRecord(fillId, order.BrokerOrderId, order.ClientOrderId, order.Symbol, order.Side,
                quantity, price, fee, timeUtc, order.Role)),
        };
        reports.Add(new BrokerOrderFilled(order.ClientOrderId, order.BrokerOrderId, fillId, order.Symbol, order.Side, quantity,
            price, fee, filled.RemainingQuantity, order.Role, timeUtc));

        return order.Role == BrokerOrderRole.Entry
            ? Protect(next, filled, quantity, timeUtc)
            : ShrinkSibling(next, filled, quantity, timeUtc, reports);
    }

    private static (decimal Quantity, ulong RngState) FillQuantity(PaperBrokerState state, BrokerOrder order)
    {
        var remaining = order.RemainingQuantity;
        var options = state.Options;
        if (options.PartialFillProbability <= 0 || order.Role != BrokerOrderRole.Entry) return (remaining, state.RngState);
        var (roll, afterRoll) = SplitMix64.NextDouble(state.RngState);
        if (roll >= options.PartialFillProbability) return (remaining, afterRoll);
        var (fraction, afterFraction) = SplitMix64.NextDouble(afterRoll);
        var lots = Math.Floor(remaining * (0.2m + 0.6m * (decimal)fraction) / options.LotStep);
        var partial = lots * options.LotStep;
        return (partial <= 0 || partial >= remaining ? remaining : partial, afterFraction);
    }

    /// <summary>Creates or grows the OCO pair protecting what this entry has filled so far.</summary>
    private static PaperBrokerState Protect(PaperBrokerState state, BrokerOrder entry, decimal quantity, DateTime timeUtc)
    {
        var exitSide = entry.Side == Side.Buy ? Side.Sell : Side.Buy;
        var next = state;
        foreach (var (role, type, price) in new[]
                 {
                     (BrokerOrderRole.StopLoss, OrderType.Stop, entry.StopLoss),
                     (BrokerOrderRole.TakeProfit, OrderType.Limit, entry.TakeProfit),
                 })
        {
            if (price is null) continue;
            var child = next.ChildrenOf(entry.BrokerOrderId).FirstOrDefault(o => o.Role == role);
            if (child is not null)
            {
                next = next.WithChangedOrder(child with { Quantity = child.Quantity + quantity });
                continue;
            }
            var (childId, withId) = NewOrderId(next);
            var suffix = role == BrokerOrderRole.StopLoss ? "SL" : "TP";
            // Born after the fill instant so the quote that filled the entry cannot also close it.
            var created = new BrokerOrder(childId, $"{entry.ClientOrderId}-{suffix}", entry.Symbol, exitSide, type, quantity, 0m,
                price, null, null, role, entry.BrokerOrderId, BrokerOrderStatus.Working, timeUtc.AddTicks(1));
            next = withId.WithNewOrder(created);
        }
        return next;
    }

    private static PaperBrokerState ShrinkSibling(PaperBrokerState state, BrokerOrder child, decimal quantity, DateTime timeUtc,
        List<IExecutionReport> reports)
    {
        // A child without a parent (never made by Protect) has every parentless order as its "sibling", as a scan would find.
        var candidates = child.ParentBrokerOrderId is { } parent
            ? state.ChildrenOf(parent)
            : state.Orders.Values.Where(o => o.ParentBrokerOrderId is null);
        var sibling = candidates.FirstOrDefault(o => o.BrokerOrderId != child.BrokerOrderId && o.Status == BrokerOrderStatus.Working);
        if (sibling is null) return state;
        var shrunk = sibling with { Quantity = sibling.Quantity - quantity };
        return shrunk.RemainingQuantity <= 0m
            ? CancelOrder(state.WithChangedOrder(sibling), sibling, $"OCO: {child.Role} {child.BrokerOrderId} filled", timeUtc, reports)
            : state.WithChangedOrder(shrunk);
    }

    private static PaperBrokerState CancelOrder(PaperBrokerState state, BrokerOrder order, string reason, DateTime timeUtc,
        List<IExecutionReport> reports)
    {
        var next = state.WithChangedOrder(order with { Status = BrokerOrderStatus.Canceled });
        reports.Add(new BrokerOrderCanceled(order.ClientOrderId, order.BrokerOrderId, reason, timeUtc));
        if (order.Role != BrokerOrderRole.Entry) return next;
        // Canceling an entry leaves its already-filled part protected; only an unfilled entry takes its children along.
        if (order.FilledQuantity > 0) return next;
        foreach (var child in next.ChildrenOf(order.BrokerOrderId).Where(o => o.Status == BrokerOrderStatus.Working).ToList())
            next = CancelOrder(next, child, "parent canceled", timeUtc, reports);
        return next;
    }

    private static (string Id, PaperBrokerState State) NewOrderId(PaperBrokerState state) =>
        ($"PB{state.NextOrderNumber.ToString("D8", CultureInfo.InvariantCulture)}", state with { NextOrderNumber = state.NextOrderNumber + 1 });

    private static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
