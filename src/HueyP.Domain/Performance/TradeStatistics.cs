namespace HueyP.Domain.Performance;

/// <summary>A round trip, P&amp;L net of fees in account currency.</summary>
public sealed record ClosedTrade(string Symbol, DateTime OpenedUtc, DateTime ClosedUtc, decimal NetPnl);

/// <summary>
/// Trade-list figures. A trade with zero P&amp;L is neither a win nor a loss (it counts in the trade count and
/// breaks streaks). Undefined figures (no losing trades for the profit factor, no trades for averages) are null.
/// </summary>
public sealed record TradeStatistics(
    int TradeCount,
    int Wins,
    int Losses,
    double? WinRate,
    decimal? AverageWin,
    decimal? AverageLoss,
    decimal GrossProfit,
    decimal GrossLoss,
    double? ProfitFactor,
    int LongestWinStreak,
    int LongestLossStreak,
    double? Exposure)
{
    /// <param name="periodStartUtc">with <paramref name="periodEndUtc"/>, the span exposure is measured against.</param>
    public static TradeStatistics From(IReadOnlyList<ClosedTrade> trades, DateTime? periodStartUtc = null, DateTime? periodEndUtc = null)
    {
        foreach (var t in trades)
            if (t.ClosedUtc < t.OpenedUtc)
                throw new ArgumentException($"trade in {t.Symbol} closes ({t.ClosedUtc:O}) before it opens ({t.OpenedUtc:O})", nameof(trades));
        var ordered = trades.OrderBy(t => t.ClosedUtc).ThenBy(t => t.OpenedUtc).ToList();
        var wins = ordered.Where(t => t.NetPnl > 0).ToList();
        var losses = ordered.Where(t => t.NetPnl < 0).ToList();
        var grossProfit = wins.Sum(t => t.NetPnl);
        var grossLoss = -losses.Sum(t => t.NetPnl);
        return new TradeStatistics(
            ordered.Count, wins.Count, losses.Count,
            ordered.Count == 0 ? null : wins.Count / (double)ordered.Count,
            wins.Count == 0 ? null : grossProfit / wins.Count,
            losses.Count == 0 ? null : -grossLoss / losses.Count,
            grossProfit, grossLoss,
            grossLoss == 0 ? null : (double)(grossProfit / grossLoss),
            LongestStreak(ordered, t => t.NetPnl > 0),
            LongestStreak(ordered, t => t.NetPnl < 0),
            ExposureOf(ordered, periodStartUtc, periodEndUtc));
    }

    private static int LongestStreak(IEnumerable<ClosedTrade> trades, Func<ClosedTrade, bool> counts)
    {
        int run = 0, longest = 0;
        foreach (var t in trades)
        {
            run = counts(t) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    /// <summary>Fraction of the period with at least one position open (overlapping trades counted once).</summary>
    private static double? ExposureOf(IReadOnlyList<ClosedTrade> trades, DateTime? start, DateTime? end)
    {
        if (trades.Count == 0 && start is null) return null;
        var from = start ?? trades.Min(t => t.OpenedUtc);
        var to = end ?? trades.Max(t => t.ClosedUtc);
        if (to <= from) return null;
        var covered = TimeSpan.Zero;
        DateTime? runStart = null, runEnd = null;
        foreach (var t in trades.OrderBy(t => t.OpenedUtc))
        {
            var open = t.OpenedUtc < from ? from : t.OpenedUtc;
            var close = t.ClosedUtc > to ? to : t.ClosedUtc;
            if (close <= open) continue;
            if (runEnd is null || open > runEnd)
            {
                if (runEnd is not null) covered += runEnd.Value - runStart!.Value;
                (runStart, runEnd) = (open, close);
            }
            else if (close > runEnd) runEnd = close;
        }
        if (runEnd is not null) covered += runEnd.Value - runStart!.Value;
        return covered / (to - from);
    }
}
