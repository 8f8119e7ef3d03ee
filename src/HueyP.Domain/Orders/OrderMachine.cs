using System.Collections.Immutable;
using System.Globalization;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Orders;

/// <summary>
/// Pure order lifecycle: <see cref="Decide"/> validates a proposed event against the current state and the
/// transition table; <see cref="Apply"/> folds an accepted event into the state. An event-sourced actor persists what
/// Decide returns and then applies it; recovery replays the journal through Apply.
/// </summary>
public static class OrderMachine
{
    /// <summary>Turns a pipeline intent into the order's first event, or explains why the intent is unusable.</summary>
    public static OrderDecision Initialize(OrderIntent intent, string clientOrderId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var error = ValidateIntent(intent, out var limit, out var stopLoss, out var takeProfit, out var arrivalMid);
        if (error is null && !ClientOrderId.TryParse(clientOrderId, out _))
            error = $"'{clientOrderId}' is not a client order id (STRATEGY-SYMBOL-yyyyMMddTHHmm-NNNN)";
        var initialized = new OrderInitialized(clientOrderId, intent.Strategy, intent.Symbol, intent.Side, intent.Type,
            intent.Quantity, limit, stopLoss, takeProfit, intent.BarTimeUtc, intent.DecisionTimeUtc, arrivalMid, nowUtc);
        return error is null
            ? OrderDecision.Accept(initialized)
            : OrderDecision.Reject(clientOrderId, null, initialized, $"order {clientOrderId}: {error}");
    }

    public static OrderDecision Decide(OrderState? state, IOrderEvent proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        if (proposed is OrderTransitionRejected) return OrderDecision.Accept(proposed);
        if (state is null)
        {
            return proposed is OrderInitialized init
                ? ValidateInitialized(init)
                : OrderDecision.Reject(proposed.ClientOrderId, null, proposed,
                    $"order {proposed.ClientOrderId} is unknown: {proposed.GetType().Name} cannot apply");
        }
        if (proposed.ClientOrderId != state.ClientOrderId)
            return OrderDecision.Reject(state.ClientOrderId, state.Status, proposed,
                $"order {state.ClientOrderId}: event addressed to {proposed.ClientOrderId}");
        if (proposed is OrderInitialized)
            return OrderDecision.Duplicate($"order {state.ClientOrderId} is already initialized");
        if (proposed is OrderFilled fill) return DecideFill(state, fill);
        if (proposed is OrderOutcomeUnknown)
        {
            return state.Status is OrderStatus.Initialized || state.Status.IsTerminal()
                ? Illegal(state, proposed, $"order {state.ClientOrderId}: outcome cannot be unknown in {state.Status.ToDisplay()} (nothing is in flight)")
                : OrderDecision.Accept(proposed);
        }

        var (target, problem) = TargetOf(state, proposed);
        if (problem is not null) return Illegal(state, proposed, $"order {state.ClientOrderId}: {problem}");
        return OrderTransitions.IsAllowed(state.Status, target)
            ? OrderDecision.Accept(proposed)
            : Illegal(state, proposed, TransitionError(state, target));
    }

    public static OrderState Apply(OrderState? state, IOrderEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e is OrderTransitionRejected)
            return state ?? throw new InvalidOperationException($"order {e.ClientOrderId} is unknown; its rejected-transition fact belongs to the order book");
        if (state is null)
        {
            return e is OrderInitialized init
                ? new OrderState(init.ClientOrderId, init.Strategy, init.Symbol, init.Side, init.Type, init.Quantity,
                    init.LimitPrice, init.StopLoss, init.TakeProfit, init.BarTimeUtc, init.DecisionTimeUtc, init.ArrivalMid,
                    OrderStatus.Initialized, null, null, 0m, 0m, 0m, [], false, null, null, null, init.TimeUtc)
                : throw new InvalidOperationException($"order {e.ClientOrderId}: cannot apply {e.GetType().Name} before OrderInitialized");
        }
        if (e is OrderInitialized) return state;

        var decision = Decide(state, e);
        if (decision.Outcome == OrderDecisionOutcome.Duplicate) return state;
        if (!decision.IsAccepted) throw new InvalidOperationException(decision.Error);

        // One copy for what every event changes (the state is a large record, copied once more below).
        var resolved = state with
        {
            OutcomeUnknown = !IsBrokerReport(e) && state.OutcomeUnknown,
            LastEventUtc = e.TimeUtc,
            PendingChange = e is OrderCanceled or OrderExpired or OrderRejected ? null : state.PendingChange,
        };
        return e switch
        {
            OrderFilled f => ApplyFill(resolved, f),
            OrderOutcomeUnknown u => resolved with { OutcomeUnknown = true, LastReason = u.Cause },
            OrderDenied d => resolved with { Status = OrderStatus.Denied, LastReason = $"{d.ReasonCode}: {d.Detail}" },
            OrderSubmitted s => resolved with { Status = OrderStatus.Submitted, SubmittedAtUtc = s.TimeUtc },
            OrderAccepted a => resolved with { Status = OrderStatus.Accepted, BrokerOrderId = a.BrokerOrderId, ResumeStatus = null },
            OrderRejected r => resolved with { Status = OrderStatus.Rejected, LastReason = r.Reason },
            OrderTriggered => resolved with { Status = OrderStatus.Triggered },
            OrderUpdateRequested u => resolved with { Status = OrderStatus.PendingUpdate, ResumeStatus = state.Status, PendingChange = u },
            OrderUpdateResolved u => ResolveUpdate(resolved, state, u),
            OrderCancelRequested => resolved with { Status = OrderStatus.PendingCancel, ResumeStatus = state.Status },
            OrderCancelRejected c => resolved with { Status = ResumeAfterCancel(state), ResumeStatus = null, LastReason = c.Reason },
            OrderCanceled c => resolved with { Status = OrderStatus.Canceled, ResumeStatus = null, LastReason = c.Reason },
            OrderExpired => resolved with { Status = OrderStatus.Expired, ResumeStatus = null },
            _ => throw new InvalidOperationException($"order {state.ClientOrderId}: unknown event {e.GetType().Name}"),
        };
    }

    public static OrderState Replay(IEnumerable<IOrderEvent> journal)
    {
        OrderState? state = null;
        foreach (var e in journal) state = Apply(state, e);
        return state ?? throw new InvalidOperationException("an order journal must start with OrderInitialized");
    }

    private static OrderDecision DecideFill(OrderState state, OrderFilled fill)
    {
        if (string.IsNullOrWhiteSpace(fill.FillId))
            return Illegal(state, fill, $"order {state.ClientOrderId}: fill has no fill id");
        if (state.FillIds.Contains(fill.FillId))
            return OrderDecision.Duplicate($"order {state.ClientOrderId}: fill {fill.FillId} already applied");
        if (!OrderTransitions.IsAllowed(state.Status, OrderStatus.Filled))
            return Illegal(state, fill, TransitionError(state, OrderStatus.Filled) + $" (fill {fill.FillId})");
        if (fill.Quantity <= 0)
            return Illegal(state, fill, $"order {state.ClientOrderId}: fill {fill.FillId} quantity must be positive, got {Num(fill.Quantity)}");
        if (fill.Price <= 0)
            return Illegal(state, fill, $"order {state.ClientOrderId}: fill {fill.FillId} price must be positive, got {Num(fill.Price)}");
        if (fill.Fee < 0)
            return Illegal(state, fill, $"order {state.ClientOrderId}: fill {fill.FillId} fee must not be negative, got {Num(fill.Fee)}");
        if (fill.Quantity > state.RemainingQuantity)
            return Illegal(state, fill, $"order {state.ClientOrderId}: fill {fill.FillId} of {Num(fill.Quantity)} exceeds the remaining {Num(state.RemainingQuantity)}");
        var target = FillTarget(state, fill.Quantity);
        return OrderTransitions.IsAllowed(state.Status, target)
            ? OrderDecision.Accept(fill)
            : Illegal(state, fill, TransitionError(state, target));
    }

    private static OrderStatus FillTarget(OrderState state, decimal quantity)
    {
        if (state.FilledQuantity + quantity == state.Quantity) return OrderStatus.Filled;
        return state.Status is OrderStatus.Canceled or OrderStatus.PendingCancel ? state.Status : OrderStatus.PartiallyFilled;
    }

    private static OrderState ApplyFill(OrderState state, OrderFilled fill)
    {
        var filled = state.FilledQuantity + fill.Quantity;
        var average = (state.AverageFillPrice * state.FilledQuantity + fill.Price * fill.Quantity) / filled;
        return state with
        {
            Status = FillTarget(state, fill.Quantity),
            FilledQuantity = filled,
            AverageFillPrice = average,
            Fees = state.Fees + fill.Fee,
            FillIds = state.FillIds.Add(fill.FillId),
            FirstFillAtUtc = state.FirstFillAtUtc ?? fill.TimeUtc,
        };
    }

    private static (OrderStatus Target, string? Problem) TargetOf(OrderState state, IOrderEvent e) => e switch
    {
        OrderDenied => (OrderStatus.Denied, null),
        OrderSubmitted => (OrderStatus.Submitted, null),
        OrderAccepted a => string.IsNullOrWhiteSpace(a.BrokerOrderId)
            ? (OrderStatus.Accepted, "accepted without a broker order id")
            : (OrderStatus.Accepted, null),
        OrderRejected => (OrderStatus.Rejected, null),
        OrderTriggered => state.Type == OrderType.Stop
            ? (OrderStatus.Triggered, null)
            : (OrderStatus.Triggered, $"only stop orders trigger; this is a {state.Type} order"),
        OrderUpdateRequested u => (OrderStatus.PendingUpdate, ValidateUpdate(state, u)),
        OrderUpdateResolved => state.Status == OrderStatus.PendingUpdate
            ? (state.ResumeStatus ?? OrderStatus.Accepted, null)
            : (state.Status, $"no update is pending (status {state.Status.ToDisplay()})"),
        OrderCancelRequested => (OrderStatus.PendingCancel, null),
        OrderCancelRejected => state.Status == OrderStatus.PendingCancel
            ? (ResumeAfterCancel(state), null)
            : (state.Status, $"no cancel is pending (status {state.Status.ToDisplay()})"),
        OrderCanceled => (OrderStatus.Canceled, null),
        OrderExpired => (OrderStatus.Expired, null),
        _ => (state.Status, $"unknown event {e.GetType().Name}"),
    };

    private static OrderStatus ResumeAfterCancel(OrderState state) =>
        state.ResumeStatus is null or OrderStatus.Submitted or OrderStatus.PendingUpdate
            ? OrderStatus.Accepted
            : state.ResumeStatus.Value;

    private static OrderState ResolveUpdate(OrderState resolved, OrderState before, OrderUpdateResolved u)
    {
        var next = resolved with
        {
            Status = before.ResumeStatus ?? OrderStatus.Accepted, ResumeStatus = null, PendingChange = null, LastReason = u.Reason,
        };
        return u.Applied && before.PendingChange is { } change
            ? next with
            {
                LimitPrice = change.NewLimitPrice ?? next.LimitPrice,
                StopLoss = change.NewStopLoss ?? next.StopLoss,
                TakeProfit = change.NewTakeProfit ?? next.TakeProfit,
            }
            : next;
    }

    private static string? ValidateUpdate(OrderState state, OrderUpdateRequested u)
    {
        if (u.NewLimitPrice is <= 0 || u.NewStopLoss is <= 0 || u.NewTakeProfit is <= 0)
            return "update prices must be positive";
        var sl = u.NewStopLoss ?? state.StopLoss;
        var tp = u.NewTakeProfit ?? state.TakeProfit;
        return ProtectionError(state.Side, sl, tp, u.NewLimitPrice ?? state.LimitPrice ?? state.ArrivalMid);
    }

    private static OrderDecision ValidateInitialized(OrderInitialized init)
    {
        string? error = null;
        if (!ClientOrderId.TryParse(init.ClientOrderId, out _)) error = "not a client order id";
        else if (init.Quantity <= 0) error = $"quantity must be positive, got {Num(init.Quantity)}";
        else if (init.ArrivalMid <= 0) error = "arrival mid must be positive";
        else if (init.Type != OrderType.Market && init.LimitPrice is null or <= 0) error = $"a {init.Type} order needs a positive price";
        else error = ProtectionError(init.Side, init.StopLoss, init.TakeProfit, init.LimitPrice ?? init.ArrivalMid);
        return error is null
            ? OrderDecision.Accept(init)
            : OrderDecision.Reject(init.ClientOrderId, null, init, $"order {init.ClientOrderId}: {error}");
    }

    private static string? ValidateIntent(OrderIntent intent, out decimal? limit, out decimal stopLoss,
        out decimal takeProfit, out decimal arrivalMid)
    {
        limit = null; stopLoss = 0; takeProfit = 0; arrivalMid = 0;
        if (intent.Quantity <= 0) return $"quantity must be positive, got {Num(intent.Quantity)}";
        if (!PriceConversion.TryToDecimal(intent.ArrivalMid, "arrival mid", out arrivalMid, out var error)) return error;
        if (!PriceConversion.TryToDecimal(intent.StopLoss, "stop-loss", out stopLoss, out error)) return error;
        if (!PriceConversion.TryToDecimal(intent.TakeProfit, "take-profit", out takeProfit, out error)) return error;
        if (intent.Type != OrderType.Market)
        {
            if (intent.LimitPrice is not { } price) return $"a {intent.Type} order needs a price";
            if (!PriceConversion.TryToDecimal(price, "order price", out var converted, out error)) return error;
            limit = converted;
        }
        return ProtectionError(intent.Side, stopLoss, takeProfit, limit ?? arrivalMid);
    }

    /// <summary>Every order carries a stop-loss and a take-profit on the correct sides of its reference price.</summary>
    private static string? ProtectionError(Side side, decimal stopLoss, decimal takeProfit, decimal reference)
    {
        if (stopLoss <= 0 || takeProfit <= 0) return "stop-loss and take-profit are required";
        var ok = side == Side.Buy
            ? stopLoss < reference && reference < takeProfit
            : takeProfit < reference && reference < stopLoss;
        return ok ? null
            : $"{side} needs stop-loss and take-profit on opposite sides of {Num(reference)} (stop-loss {Num(stopLoss)}, take-profit {Num(takeProfit)})";
    }

    private static bool IsBrokerReport(IOrderEvent e) => e is OrderAccepted or OrderRejected or OrderTriggered
        or OrderUpdateResolved or OrderCancelRejected or OrderCanceled or OrderExpired or OrderFilled;

    private static OrderDecision Illegal(OrderState state, IOrderEvent e, string error) =>
        OrderDecision.Reject(state.ClientOrderId, state.Status, e, error);

    private static string TransitionError(OrderState state, OrderStatus target) =>
        $"order {state.ClientOrderId}: {state.Status.ToDisplay()} → {target.ToDisplay()} is not allowed";

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
