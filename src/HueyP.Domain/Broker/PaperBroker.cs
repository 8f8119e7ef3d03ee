using System.Collections.Immutable;
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
        var session = new PaperBrokerSession(state);
        var reports = session.Submit(request, nowUtc);
        return (session.End(), reports);
    }

    public static (PaperBrokerState State, IReadOnlyList<IExecutionReport> Reports) Cancel(
        PaperBrokerState state, string clientOrderId, DateTime nowUtc)
    {
        var session = new PaperBrokerSession(state);
        var reports = session.Cancel(clientOrderId, nowUtc);
        return (session.End(), reports);
    }

    public static (PaperBrokerState State, IReadOnlyList<IExecutionReport> Reports) OnQuote(PaperBrokerState state, Quote quote)
    {
        var session = new PaperBrokerSession(state);
        var reports = session.OnQuote(quote);
        return (session.End(), reports);
    }
}

/// <summary>
/// <see cref="PaperBroker"/>'s rules applied to a working copy of one state: a run of submissions, cancels and quotes
/// (a replay slice, a live quote with the submissions before it) changes the book in place and yields the state once,
/// at <see cref="End"/>, exactly as the same calls one by one through <see cref="PaperBroker"/> would — without a new
/// immutable state, book and index per step (which was most of what matching a slice cost). Not thread-safe; the
/// state it started from is never changed.
/// </summary>
public sealed class PaperBrokerSession
{
    private readonly PaperBrokerState _origin;
    private readonly PaperBrokerOptions _options;
    private readonly ImmutableSortedDictionary<string, BrokerOrder>.Builder _orders;
    private readonly ImmutableSortedDictionary<string, BrokerPosition>.Builder _positions;
    private readonly ImmutableSortedDictionary<string, BrokerQuote>.Builder _lastQuotes;
    private readonly ImmutableList<BrokerFillRecord>.Builder _fills;
    // The order index (BrokerOrderIndex) kept step by step: first broker id per client id, children per parent.
    private readonly ImmutableDictionary<string, string>.Builder _firstByClientId;
    private readonly ImmutableDictionary<string, ImmutableArray<string>>.Builder _childrenByParent;
    private decimal _balance;
    private long _nextOrderNumber;
    private long _nextFillNumber;
    private ulong _rngState;
    private bool _changed;

    public PaperBrokerSession(PaperBrokerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _origin = state;
        _options = state.Options;
        var index = state.OrderIndex;
        _orders = index.Orders.ToBuilder();
        _positions = state.Positions.ToBuilder();
        _lastQuotes = state.LastQuotes.ToBuilder();
        _fills = state.Fills.ToBuilder();
        _firstByClientId = index.FirstByClientId.ToBuilder();
        _childrenByParent = index.ChildrenByParent.ToBuilder();
        _balance = state.Balance;
        _nextOrderNumber = state.NextOrderNumber;
        _nextFillNumber = state.NextFillNumber;
        _rngState = state.RngState;
    }

    /// <summary>The state after everything done in this session (the original one if nothing changed).</summary>
    public PaperBrokerState End()
    {
        if (!_changed) return _origin;
        var orders = _orders.ToImmutable();
        return PaperBrokerState.WithIndex(_options, _balance, orders, _positions.ToImmutable(), _lastQuotes.ToImmutable(), _fills.ToImmutable(),
            _nextOrderNumber, _nextFillNumber, _rngState, BrokerOrderIndex.Of(orders, _firstByClientId.ToImmutable(), _childrenByParent.ToImmutable()));
    }

    public IReadOnlyList<IExecutionReport> Submit(BrokerOrderRequest request, DateTime nowUtc)
    {
        var rejection = RejectionReason(request, nowUtc);
        if (rejection is not null) return [new BrokerOrderRejected(request.ClientOrderId, rejection, nowUtc)];

        var brokerId = NewOrderId();
        var order = new BrokerOrder(brokerId, request.ClientOrderId, _options.Find(request.Symbol)!.Symbol, request.Side,
            request.Type, request.Quantity, 0m, request.Price, request.StopLoss, request.TakeProfit, BrokerOrderRole.Entry,
            null, BrokerOrderStatus.Working, nowUtc);
        AddOrder(order);
        return [new BrokerOrderAccepted(request.ClientOrderId, brokerId, nowUtc)];
    }

    public IReadOnlyList<IExecutionReport> Cancel(string clientOrderId, DateTime nowUtc)
    {
        var order = FindByClientId(clientOrderId);
        if (order is null) return [new BrokerCancelRejected(clientOrderId, "unknown order", nowUtc)];
        if (order.Status != BrokerOrderStatus.Working)
            return [new BrokerCancelRejected(clientOrderId, $"order is already {order.Status.ToString().ToLowerInvariant()}", nowUtc)];
        var reports = new List<IExecutionReport>();
        CancelOrder(order, "canceled by client", nowUtc, reports);
        return reports;
    }

    public IReadOnlyList<IExecutionReport> OnQuote(Quote quote)
    {
        var symbol = _options.Find(quote.Symbol)
            ?? throw new ArgumentException($"unknown symbol {quote.Symbol}", nameof(quote));
        if (!PriceConversion.TryToDecimal(quote.Bid, "bid", out var bid, out var error)
            || !PriceConversion.TryToDecimal(quote.Ask, "ask", out var ask, out error))
            throw new ArgumentException($"quote for {quote.Symbol}: {error}", nameof(quote));
        if (ask < bid) throw new ArgumentException($"quote for {quote.Symbol}: ask {ask} is below bid {bid}", nameof(quote));

        var book = new BrokerQuote(bid, ask, quote.TimeUtc);
        var reports = new List<IExecutionReport>();
        // Only orders working before this quote arrived may fill on it; children born from a fill wait for the next.
        var candidates = new List<string>();
        foreach (var o in _orders.Values)
            if (o.Status == BrokerOrderStatus.Working && o.Symbol == symbol.Symbol && o.SubmittedUtc <= quote.TimeUtc) candidates.Add(o.BrokerOrderId);
        _lastQuotes[symbol.Symbol] = book;
        _changed = true;
        foreach (var id in candidates)
        {
            var order = _orders[id];
            if (order.Status != BrokerOrderStatus.Working) continue;   // an OCO sibling may have canceled it
            var price = MatchPrice(order, book, symbol, _options);
            if (price is null) continue;
            Execute(order, price.Value, quote.TimeUtc, reports);
        }
        return reports;
    }

    private string? RejectionReason(BrokerOrderRequest request, DateTime nowUtc)
    {
        if (request.Quantity <= 0) return $"quantity must be positive, got {N(request.Quantity)}";
        var symbol = _options.Find(request.Symbol);
        if (symbol is null) return $"unknown symbol {request.Symbol}";
        if (!_options.EffectiveHours.IsOpen(nowUtc)) return $"market closed for {symbol.Symbol} at {nowUtc:yyyy-MM-dd HH:mm} UTC";
        if (FindByClientId(request.ClientOrderId) is not null) return $"duplicate client order id {request.ClientOrderId}";
        if (request.Type != OrderType.Market && request.Price is null or <= 0) return $"a {request.Type} order needs a positive price";

        var reference = _lastQuotes.GetValueOrDefault(symbol.Symbol)?.Mid ?? request.Price;
        if (reference is null) return $"no price yet for {symbol.Symbol}";
        var signed = request.Side == Side.Buy ? request.Quantity : -request.Quantity;
        // Summed in the order the state's own margin figures use: positions by symbol, then the order's symbol.
        var projectedMargin = 0m;
        foreach (var p in _positions.Values)
            if (p.Symbol != symbol.Symbol) projectedMargin += Math.Abs(p.Quantity) * PriceOf(p.Symbol);
        projectedMargin += Math.Abs(QuantityOf(symbol.Symbol) + signed) * reference.Value;
        projectedMargin /= _options.Leverage;
        var equity = Equity;
        return projectedMargin > equity
            ? $"insufficient margin: {N(Math.Round(projectedMargin, 2))} required, equity {N(Math.Round(equity, 2))}"
            : null;
    }

    private decimal QuantityOf(string symbol) => _positions.GetValueOrDefault(symbol)?.Quantity ?? 0m;

    private decimal PriceOf(string symbol) =>
        _lastQuotes.GetValueOrDefault(symbol)?.Mid ?? _positions.GetValueOrDefault(symbol)?.AveragePrice ?? 0m;

    /// <summary>As <see cref="PaperBrokerState.Equity"/>.</summary>
    private decimal Equity
    {
        get
        {
            var unrealized = 0m;
            foreach (var p in _positions.Values)
            {
                if (p.Quantity == 0m || !_lastQuotes.TryGetValue(p.Symbol, out var q)) continue;
                unrealized += ((p.Quantity > 0 ? q.Bid : q.Ask) - p.AveragePrice) * p.Quantity;
            }
            return _balance + unrealized;
        }
    }

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

    private void Execute(BrokerOrder order, decimal price, DateTime timeUtc, List<IExecutionReport> reports)
    {
        var quantity = FillQuantity(order);
        var fee = Math.Round(quantity * price * _options.CommissionPerMillion / 1_000_000m, 2, MidpointRounding.ToEven);
        var fillId = $"{order.BrokerOrderId}-F{_nextFillNumber.ToString("D6", CultureInfo.InvariantCulture)}";
        var filledQuantity = order.FilledQuantity + quantity;
        var filled = order with
        {
            FilledQuantity = filledQuantity,
            Status = order.Quantity - filledQuantity == 0m ? BrokerOrderStatus.Filled : order.Status,
        };

        var position = _positions.GetValueOrDefault(order.Symbol) ?? new BrokerPosition(order.Symbol, 0m, 0m);
        var netted = Netting.Apply(position.Quantity, position.AveragePrice, order.Side == Side.Buy ? quantity : -quantity, price);
        ChangeOrder(filled);
        _nextFillNumber++;
        _positions[order.Symbol] = new BrokerPosition(order.Symbol, netted.Quantity, netted.AveragePrice);
        _balance = _balance + netted.RealizedPnl - fee;
        _fills.Add(new BrokerFillRecord(fillId, order.BrokerOrderId, order.ClientOrderId, order.Symbol, order.Side,
            quantity, price, fee, timeUtc, order.Role));
        reports.Add(new BrokerOrderFilled(order.ClientOrderId, order.BrokerOrderId, fillId, order.Symbol, order.Side, quantity,
            price, fee, filled.RemainingQuantity, order.Role, timeUtc));

        if (order.Role == BrokerOrderRole.Entry) Protect(filled, quantity, timeUtc);
        else ShrinkSibling(filled, quantity, timeUtc, reports);
    }

    private decimal FillQuantity(BrokerOrder order)
    {
        var remaining = order.RemainingQuantity;
        if (_options.PartialFillProbability <= 0 || order.Role != BrokerOrderRole.Entry) return remaining;
        var (roll, afterRoll) = SplitMix64.NextDouble(_rngState);
        _rngState = afterRoll;
        if (roll >= _options.PartialFillProbability) return remaining;
        var (fraction, afterFraction) = SplitMix64.NextDouble(afterRoll);
        _rngState = afterFraction;
        var lots = Math.Floor(remaining * (0.2m + 0.6m * (decimal)fraction) / _options.LotStep);
        var partial = lots * _options.LotStep;
        return partial <= 0 || partial >= remaining ? remaining : partial;
    }

    /// <summary>Creates or grows the OCO pair protecting what this entry has filled so far.</summary>
    private void Protect(BrokerOrder entry, decimal quantity, DateTime timeUtc)
    {
        var exitSide = entry.Side == Side.Buy ? Side.Sell : Side.Buy;
        ProtectWith(entry, quantity, timeUtc, exitSide, BrokerOrderRole.StopLoss, OrderType.Stop, entry.StopLoss);
        ProtectWith(entry, quantity, timeUtc, exitSide, BrokerOrderRole.TakeProfit, OrderType.Limit, entry.TakeProfit);
    }

    private void ProtectWith(BrokerOrder entry, decimal quantity, DateTime timeUtc, Side exitSide, BrokerOrderRole role, OrderType type, decimal? price)
    {
        if (price is null) return;
        BrokerOrder? child = null;
        foreach (var id in ChildrenOf(entry.BrokerOrderId))
        {
            var candidate = _orders[id];
            if (candidate.Role != role) continue;
            child = candidate;
            break;
        }
        if (child is not null)
        {
            ChangeOrder(child with { Quantity = child.Quantity + quantity });
            return;
        }
        var childId = NewOrderId();
        var suffix = role == BrokerOrderRole.StopLoss ? "SL" : "TP";
        // Born after the fill instant so the quote that filled the entry cannot also close it.
        AddOrder(new BrokerOrder(childId, $"{entry.ClientOrderId}-{suffix}", entry.Symbol, exitSide, type, quantity, 0m,
            price, null, null, role, entry.BrokerOrderId, BrokerOrderStatus.Working, timeUtc.AddTicks(1)));
    }

    private void ShrinkSibling(BrokerOrder child, decimal quantity, DateTime timeUtc, List<IExecutionReport> reports)
    {
        // A child without a parent (never made by Protect) has every parentless order as its "sibling", as a scan would find.
        BrokerOrder? sibling = null;
        if (child.ParentBrokerOrderId is { } parent)
        {
            foreach (var id in ChildrenOf(parent))
            {
                var o = _orders[id];
                if (o.BrokerOrderId != child.BrokerOrderId && o.Status == BrokerOrderStatus.Working) { sibling = o; break; }
            }
        }
        else
        {
            foreach (var o in _orders.Values)
                if (o.ParentBrokerOrderId is null && o.BrokerOrderId != child.BrokerOrderId && o.Status == BrokerOrderStatus.Working) { sibling = o; break; }
        }
        if (sibling is null) return;
        var shrunk = sibling with { Quantity = sibling.Quantity - quantity };
        if (shrunk.RemainingQuantity <= 0m) CancelOrder(sibling, $"OCO: {child.Role} {child.BrokerOrderId} filled", timeUtc, reports);
        else ChangeOrder(shrunk);
    }

    private void CancelOrder(BrokerOrder order, string reason, DateTime timeUtc, List<IExecutionReport> reports)
    {
        ChangeOrder(order with { Status = BrokerOrderStatus.Canceled });
        reports.Add(new BrokerOrderCanceled(order.ClientOrderId, order.BrokerOrderId, reason, timeUtc));
        if (order.Role != BrokerOrderRole.Entry) return;
        // Canceling an entry leaves its already-filled part protected; only an unfilled entry takes its children along.
        if (order.FilledQuantity > 0) return;
        var working = new List<BrokerOrder>();
        foreach (var id in ChildrenOf(order.BrokerOrderId))
        {
            var child = _orders[id];
            if (child.Status == BrokerOrderStatus.Working) working.Add(child);
        }
        foreach (var child in working) CancelOrder(child, "parent canceled", timeUtc, reports);
    }

    private string NewOrderId()
    {
        _changed = true;
        return $"PB{_nextOrderNumber++.ToString("D8", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The order with this client id and the smallest broker id, or null.</summary>
    private BrokerOrder? FindByClientId(string clientOrderId) =>
        _firstByClientId.TryGetValue(clientOrderId, out var brokerId) ? _orders[brokerId] : null;

    /// <summary>Broker ids of the orders whose parent is <paramref name="parentBrokerOrderId"/>, in ordinal order.</summary>
    private ImmutableArray<string> ChildrenOf(string parentBrokerOrderId) =>
        _childrenByParent.TryGetValue(parentBrokerOrderId, out var ids) ? ids : [];

    /// <summary>An order new to the book (its broker id unused), with the index kept as BrokerOrderIndex.WithAdded keeps it.</summary>
    private void AddOrder(BrokerOrder added)
    {
        _changed = true;
        _orders.Add(added.BrokerOrderId, added);
        if (!_firstByClientId.TryGetValue(added.ClientOrderId, out var first) || string.CompareOrdinal(added.BrokerOrderId, first) < 0)
            _firstByClientId[added.ClientOrderId] = added.BrokerOrderId;
        if (added.ParentBrokerOrderId is { } parent)
        {
            var ids = ChildrenOf(parent).Add(added.BrokerOrderId);
            if (ids.Length > 1 && string.CompareOrdinal(ids[^2], ids[^1]) > 0) ids = [.. ids.Order(StringComparer.Ordinal)];
            _childrenByParent[parent] = ids;
        }
    }

    /// <summary>A later version of an order in the book (fills, quantity, status): ids and links stay, so the index does.</summary>
    private void ChangeOrder(BrokerOrder order)
    {
        _changed = true;
        _orders[order.BrokerOrderId] = order;
    }

    private static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
