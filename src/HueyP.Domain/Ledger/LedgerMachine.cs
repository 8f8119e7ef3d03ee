using System.Globalization;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Ledger;

/// <summary>
/// Pure ledger: <see cref="Decide"/> validates and deduplicates, <see cref="Apply"/> books. Every fill and adjustment
/// is applied at most once, keyed by its id: a duplicate is reported and changes nothing.
/// </summary>
public static class LedgerMachine
{
    public static LedgerDecision Decide(LedgerState state, ILedgerEvent proposed)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        if (proposed is LedgerEntryRejected) return new(LedgerOutcome.Accepted, [proposed], null);
        var id = EntryId(proposed);
        if (id is not null && state.AppliedEntryIds.Contains(id))
            return new(LedgerOutcome.Duplicate, [], $"{id} is already booked; duplicate ignored");
        var error = Validate(state, proposed);
        return error is null
            ? new(LedgerOutcome.Accepted, [proposed], null)
            : new(LedgerOutcome.Rejected, [new LedgerEntryRejected(id ?? "", proposed.GetType().Name, error, proposed.TimeUtc)], error);
    }

    public static LedgerState Apply(LedgerState state, ILedgerEvent e)
    {
        if (e is LedgerEntryRejected) return state;
        var decision = Decide(state, e);
        if (decision.Outcome == LedgerOutcome.Duplicate) return state;
        if (!decision.IsAccepted) throw new InvalidOperationException(decision.Message);

        var next = RollSessionIfNeeded(state, e.TimeUtc);
        next = e switch
        {
            FillBooked f => Book(next, f.FillId, f.Symbol, f.Side == Side.Buy ? f.Quantity : -f.Quantity, f.Price, f.Fee, f.TimeUtc),
            PositionAdjusted a => Book(next, a.AdjustmentId, a.Symbol, a.QuantityDelta, a.Price, 0m, a.TimeUtc),
            MarkUpdated m => next with { Marks = next.Marks.SetItem(m.Symbol, new Mark(m.Bid, m.Ask, m.TimeUtc)) },
            CashAdjusted c => next with
            {
                Cash = next.Cash + c.Amount,
                AppliedEntryIds = next.AppliedEntryIds.Add(c.AdjustmentId),
                // A deposit is not performance: move the reference points with it.
                PeakNav = next.PeakNav + c.Amount,
                SessionOpenNav = next.SessionOpenNav + c.Amount,
                SessionPeakNav = next.SessionPeakNav + c.Amount,
            },
            _ => throw new InvalidOperationException($"unknown ledger event {e.GetType().Name}"),
        };
        return TrackDrawdown(next, e.TimeUtc > next.LastEventUtc ? e.TimeUtc : next.LastEventUtc);
    }

    public static (LedgerState State, LedgerDecision Decision) Handle(LedgerState state, ILedgerEvent proposed)
    {
        var decision = Decide(state, proposed);
        if (decision.IsAccepted)
            foreach (var e in decision.Events) state = Apply(state, e);
        return (state, decision);
    }

    private static string? EntryId(ILedgerEvent e) => e switch
    {
        FillBooked f => f.FillId,
        PositionAdjusted a => a.AdjustmentId,
        CashAdjusted c => c.AdjustmentId,
        _ => null,
    };

    private static string? Validate(LedgerState state, ILedgerEvent e) => e switch
    {
        FillBooked f when string.IsNullOrWhiteSpace(f.FillId) => "fill has no fill id",
        FillBooked f when f.Quantity <= 0 => $"fill {f.FillId}: quantity must be positive, got {Num(f.Quantity)}",
        FillBooked f when f.Price <= 0 => $"fill {f.FillId}: price must be positive, got {Num(f.Price)}",
        FillBooked f when f.Fee < 0 => $"fill {f.FillId}: fee must not be negative, got {Num(f.Fee)}",
        FillBooked f => QuoteCurrencyError(state, f.Symbol),
        PositionAdjusted a when string.IsNullOrWhiteSpace(a.AdjustmentId) => "position adjustment has no id",
        PositionAdjusted a when a.QuantityDelta == 0 => $"adjustment {a.AdjustmentId}: quantity delta is zero",
        PositionAdjusted a when a.Price <= 0 => $"adjustment {a.AdjustmentId}: price must be positive, got {Num(a.Price)}",
        PositionAdjusted a => QuoteCurrencyError(state, a.Symbol),
        MarkUpdated m when m.Bid <= 0 || m.Ask < m.Bid => $"mark for {m.Symbol}: need 0 < bid <= ask, got bid {Num(m.Bid)} ask {Num(m.Ask)}",
        MarkUpdated m => string.IsNullOrWhiteSpace(m.Symbol) ? "mark has no symbol" : null,
        CashAdjusted c when string.IsNullOrWhiteSpace(c.AdjustmentId) => "cash adjustment has no id",
        CashAdjusted c when c.Amount == 0 => $"cash adjustment {c.AdjustmentId}: amount is zero",
        CashAdjusted => null,
        _ => $"unknown ledger event {e.GetType().Name}",
    };

    private static string? QuoteCurrencyError(LedgerState state, string symbol)
    {
        var currency = state.Options.AccountCurrency;
        return symbol is { Length: >= 6 } && symbol.EndsWith(currency, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"symbol '{symbol}' is not quoted in the account currency {currency}; this ledger books only *{currency} symbols";
    }

    /// <summary>Netting: add to, reduce, close or flip through zero; realized P&amp;L on the closed part only.</summary>
    private static LedgerState Book(LedgerState state, string entryId, string symbol, decimal signedQuantity, decimal price, decimal fee, DateTime timeUtc)
    {
        var position = state.PositionOf(symbol);
        var (newQuantity, average, realized) = Netting.Apply(position.Quantity, position.AveragePrice, signedQuantity, price);
        var updated = position with { Quantity = newQuantity, AveragePrice = average, RealizedPnl = position.RealizedPnl + realized };
        var marks = state.Marks.ContainsKey(symbol) ? state.Marks : state.Marks.SetItem(symbol, new Mark(price, price, timeUtc));
        return state with
        {
            Positions = state.Positions.SetItem(symbol, updated),
            Marks = marks,
            Cash = state.Cash + realized - fee,
            RealizedPnl = state.RealizedPnl + realized,
            FeesPaid = state.FeesPaid + fee,
            AppliedEntryIds = state.AppliedEntryIds.Add(entryId),
        };
    }

    private static LedgerState RollSessionIfNeeded(LedgerState state, DateTime timeUtc)
    {
        var start = state.Options.SessionStart(timeUtc);
        if (start <= state.SessionStartUtc) return state;
        var nav = state.Nav;
        return state with { SessionStartUtc = start, SessionOpenNav = nav, SessionPeakNav = nav, SessionMaxDrawdown = 0m };
    }

    /// <summary>Peaks and drawdowns after an event, and the event's time (one copy of the state for both).</summary>
    private static LedgerState TrackDrawdown(LedgerState state, DateTime lastEventUtc)
    {
        var nav = state.Nav;
        var peak = Math.Max(state.PeakNav, nav);
        var drawdown = peak - nav;
        var fraction = peak > 0 ? drawdown / peak : 0m;
        var sessionPeak = Math.Max(state.SessionPeakNav, nav);
        return state with
        {
            PeakNav = peak,
            MaxDrawdown = Math.Max(state.MaxDrawdown, drawdown),
            MaxDrawdownFraction = Math.Max(state.MaxDrawdownFraction, fraction),
            SessionPeakNav = sessionPeak,
            SessionMaxDrawdown = Math.Max(state.SessionMaxDrawdown, sessionPeak - nav),
            LastEventUtc = lastEventUtc,
        };
    }

    private static string Num(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
