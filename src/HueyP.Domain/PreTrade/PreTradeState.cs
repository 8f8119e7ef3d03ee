using System.Collections.Immutable;
using HueyP.Domain.Trading;

namespace HueyP.Domain.PreTrade;

/// <summary>The order as the pre-trade checks see it, prices already in decimal.</summary>
public sealed record PreTradeOrder(
    string ClientOrderId, string Symbol, Side Side, OrderType Type, decimal Quantity, decimal? Price,
    decimal ArrivalMid, DateTime BarTimeUtc);

/// <summary>Blocks every new order while active; with <see cref="CancelAll"/> it also pulls every working order.</summary>
public sealed record KillSwitch(bool Active, bool CancelAll, string? Reason)
{
    public static KillSwitch Off { get; } = new(false, false, null);

    public IReadOnlyList<string> OrdersToCancel(HueyP.Domain.Orders.OrderBook book) =>
        Active && CancelAll ? book.Working.Select(o => o.ClientOrderId).ToList() : [];
}

public sealed record SymbolControlState(int CancelsWithoutFill, int BlockedBarsRemaining)
{
    public static SymbolControlState Clear { get; } = new(0, 0);
}

/// <summary>
/// Memory the checks need: recent submissions and cancels (sliding one-minute windows on the caller's clock),
/// ids and shapes already sent, per-symbol cancel-loop counters and the kill switch. Pure and snapshot-friendly.
/// </summary>
public sealed record PreTradeState(
    ImmutableList<DateTime> RecentOrders,
    ImmutableSortedDictionary<string, ImmutableList<DateTime>> RecentOrdersBySymbol,
    ImmutableList<DateTime> RecentCancels,
    ImmutableSortedSet<string> SentClientOrderIds,
    ImmutableSortedSet<string> SentOrderShapes,
    ImmutableSortedDictionary<string, SymbolControlState> Symbols,
    KillSwitch KillSwitch)
{
    public static PreTradeState Empty { get; } = new([],
        ImmutableSortedDictionary<string, ImmutableList<DateTime>>.Empty.WithComparers(StringComparer.Ordinal), [],
        ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal),
        ImmutableSortedSet<string>.Empty.WithComparer(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, SymbolControlState>.Empty.WithComparers(StringComparer.Ordinal),
        KillSwitch.Off);

    /// <summary>The (symbol, side, quantity, bar) identity that suppresses a second identical order on the same bar.</summary>
    public static string ShapeOf(PreTradeOrder order) =>
        $"{order.Symbol}|{order.Side}|{order.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{order.BarTimeUtc.Ticks}";

    public SymbolControlState SymbolState(string symbol) => Symbols.GetValueOrDefault(symbol) ?? SymbolControlState.Clear;

    public PreTradeState RecordSubmission(PreTradeOrder order, DateTime nowUtc)
    {
        var bySymbol = RecentOrdersBySymbol.GetValueOrDefault(order.Symbol) ?? [];
        return this with
        {
            RecentOrders = Prune(RecentOrders, nowUtc).Add(nowUtc),
            RecentOrdersBySymbol = RecentOrdersBySymbol.SetItem(order.Symbol, Prune(bySymbol, nowUtc).Add(nowUtc)),
            SentClientOrderIds = SentClientOrderIds.Add(order.ClientOrderId),
            SentOrderShapes = SentOrderShapes.Add(ShapeOf(order)),
        };
    }

    public PreTradeState RecordCancel(string symbol, DateTime nowUtc, PreTradeOptions options)
    {
        var symbolState = SymbolState(symbol);
        var cancels = symbolState.CancelsWithoutFill + 1;
        var next = cancels >= options.MaxCancelsWithoutFill
            ? new SymbolControlState(0, options.CancelLoopBlockBars)
            : symbolState with { CancelsWithoutFill = cancels };
        return this with { RecentCancels = Prune(RecentCancels, nowUtc).Add(nowUtc), Symbols = Symbols.SetItem(symbol, next) };
    }

    /// <summary>A fill proves the cancels were not a loop: the counter restarts.</summary>
    public PreTradeState RecordFill(string symbol) =>
        this with { Symbols = Symbols.SetItem(symbol, SymbolState(symbol) with { CancelsWithoutFill = 0 }) };

    /// <summary>Each closed bar shortens a cancel-loop block by one bar.</summary>
    public PreTradeState RecordBarClosed(string symbol)
    {
        var s = SymbolState(symbol);
        return s.BlockedBarsRemaining == 0 ? this
            : this with { Symbols = Symbols.SetItem(symbol, s with { BlockedBarsRemaining = s.BlockedBarsRemaining - 1 }) };
    }

    public PreTradeState WithKillSwitch(KillSwitch killSwitch) => this with { KillSwitch = killSwitch };

    public static int CountInWindow(IEnumerable<DateTime> times, DateTime nowUtc) =>
        times.Count(t => t > nowUtc - PreTradeOptions.Window && t <= nowUtc);

    /// <summary>As the general overload, over the state's own lists without boxing an enumerator or a predicate per check.</summary>
    public static int CountInWindow(ImmutableList<DateTime> times, DateTime nowUtc)
    {
        var from = nowUtc - PreTradeOptions.Window;
        var count = 0;
        foreach (var t in times)
            if (t > from && t <= nowUtc) count++;
        return count;
    }

    private static ImmutableList<DateTime> Prune(ImmutableList<DateTime> times, DateTime nowUtc)
    {
        var cutoff = nowUtc - PreTradeOptions.Window;
        // Times arrive in order, so what falls out of the window is a few at the front: drop those, rather than build
        // the whole list anew (RemoveAll), which a window that moves with every order did for every order. Out of
        // order (possible live), RemoveAll as before. Nothing to drop: the list stays as it is.
        var expired = 0;
        var index = 0;
        var inOrder = true;
        foreach (var t in times)
        {
            if (t <= cutoff)
            {
                if (expired < index) inOrder = false;
                expired++;
            }
            index++;
        }
        if (expired == 0) return times;
        return inOrder ? times.RemoveRange(0, expired) : times.RemoveAll(x => x <= cutoff);
    }
}
