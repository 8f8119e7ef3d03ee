using System.Globalization;
using HueyP.Domain.Market;
using HueyP.Domain.Trading;

namespace HueyP.Domain.PreTrade;

public sealed record PreTradeVerdict(bool Passed, string? ReasonCode, string? Detail)
{
    public static PreTradeVerdict Pass { get; } = new(true, null, null);

    public static PreTradeVerdict Block(string code, string detail) => new(false, code, detail);
}

/// <summary>
/// The controls evaluated immediately before submission, in a fixed order so the reason a trader sees is stable:
/// kill switch, validity, cancel-loop block, duplicates, size, price collar, rate throttles.
/// </summary>
public static class PreTradeChecks
{
    public static PreTradeVerdict EvaluateOrder(PreTradeState state, PreTradeOptions options, PreTradeOrder order, Quote quote, DateTime nowUtc)
    {
        if (state.KillSwitch.Active)
            return PreTradeVerdict.Block(PreTradeReasonCodes.KillSwitchActive, $"kill switch is active: {state.KillSwitch.Reason ?? "no reason given"}");
        if (order.Quantity <= 0)
            return PreTradeVerdict.Block(PreTradeReasonCodes.InvalidOrder, $"quantity must be positive, got {N(order.Quantity)}");
        if (!string.Equals(quote.Symbol, order.Symbol, StringComparison.OrdinalIgnoreCase))
            return PreTradeVerdict.Block(PreTradeReasonCodes.InvalidOrder, $"quote is for {quote.Symbol}, order is for {order.Symbol}");
        if (!double.IsFinite(quote.Bid) || !double.IsFinite(quote.Ask) || quote.Bid <= 0 || quote.Ask < quote.Bid)
            return PreTradeVerdict.Block(PreTradeReasonCodes.InvalidOrder, $"quote for {quote.Symbol} is unusable (bid {quote.Bid}, ask {quote.Ask})");

        var symbolState = state.SymbolState(order.Symbol);
        if (symbolState.BlockedBarsRemaining > 0)
            return PreTradeVerdict.Block(PreTradeReasonCodes.CancelLoopBlock,
                $"{order.Symbol} is blocked for {symbolState.BlockedBarsRemaining} more bar(s) after {options.MaxCancelsWithoutFill} cancels without a fill");

        if (state.SentClientOrderIds.Contains(order.ClientOrderId))
            return PreTradeVerdict.Block(PreTradeReasonCodes.DuplicateOrderBlock, $"client order id {order.ClientOrderId} was already sent");
        if (state.SentOrderShapes.Contains(PreTradeState.ShapeOf(order)))
            return PreTradeVerdict.Block(PreTradeReasonCodes.DuplicateOrderBlock,
                $"an identical {order.Side} {N(order.Quantity)} {order.Symbol} was already sent on bar {order.BarTimeUtc:yyyy-MM-dd HH:mm}");

        var mid = Orders.PriceConversion.ToDecimal(quote.Mid, "mid");
        if (order.Quantity > options.MaxOrderUnits)
            return PreTradeVerdict.Block(PreTradeReasonCodes.OrderSizeBlock, $"{N(order.Quantity)} units exceeds the limit of {N(options.MaxOrderUnits)}");
        var notional = order.Quantity * (order.Price ?? mid);
        if (notional > options.MaxOrderNotional)
            return PreTradeVerdict.Block(PreTradeReasonCodes.OrderSizeBlock, $"notional {N(Math.Round(notional, 2))} exceeds the limit of {N(options.MaxOrderNotional)}");

        // Priced orders are collared against the live mid; market orders against the mid the decision was made on,
        // which catches a decision acted on after the market has run away.
        var reference = order.Type == OrderType.Market ? order.ArrivalMid : order.Price ?? order.ArrivalMid;
        var deviationPercent = Math.Abs(reference - mid) / mid * 100m;
        if (deviationPercent > options.PriceCollarPercent)
            return PreTradeVerdict.Block(PreTradeReasonCodes.PriceCollarBlock,
                $"price {N(reference)} is {N(Math.Round(deviationPercent, 3))}% from mid {N(mid)}, collar is {N(options.PriceCollarPercent)}%");

        var global = PreTradeState.CountInWindow(state.RecentOrders, nowUtc);
        if (global >= options.MaxOrdersPerMinute)
            return PreTradeVerdict.Block(PreTradeReasonCodes.RateThrottleBlock, $"{global} orders in the last minute, limit {options.MaxOrdersPerMinute}");
        var perSymbol = PreTradeState.CountInWindow(state.RecentOrdersBySymbol.GetValueOrDefault(order.Symbol) ?? [], nowUtc);
        if (perSymbol >= options.MaxOrdersPerMinutePerSymbol)
            return PreTradeVerdict.Block(PreTradeReasonCodes.RateThrottleBlock,
                $"{perSymbol} {order.Symbol} orders in the last minute, limit {options.MaxOrdersPerMinutePerSymbol}");
        return PreTradeVerdict.Pass;
    }

    /// <summary>Cancels are throttled but never blocked by the kill switch: stopping means being able to cancel.</summary>
    public static PreTradeVerdict EvaluateCancel(PreTradeState state, PreTradeOptions options, DateTime nowUtc)
    {
        var cancels = PreTradeState.CountInWindow(state.RecentCancels, nowUtc);
        return cancels >= options.MaxCancelsPerMinute
            ? PreTradeVerdict.Block(PreTradeReasonCodes.RateThrottleBlock, $"{cancels} cancels in the last minute, limit {options.MaxCancelsPerMinute}")
            : PreTradeVerdict.Pass;
    }

    private static string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
