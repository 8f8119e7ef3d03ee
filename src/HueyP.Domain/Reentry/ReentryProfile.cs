namespace HueyP.Domain.Reentry;

/// <summary>Where a reentry order is priced from.</summary>
public enum PriceAnchor { Mid, Last, Vwap, BidAskEdge, VwapPlusBias, SignalRecompute }

public static class PriceAnchorNames
{
    /// <summary>The configuration spelling: <c>mid, last, vwap, bid_ask_edge, vwap_plus_bias, signal_recompute</c>.</summary>
    public static string ToConfigName(this PriceAnchor anchor) => anchor switch
    {
        PriceAnchor.Mid => "mid",
        PriceAnchor.Last => "last",
        PriceAnchor.Vwap => "vwap",
        PriceAnchor.BidAskEdge => "bid_ask_edge",
        PriceAnchor.VwapPlusBias => "vwap_plus_bias",
        PriceAnchor.SignalRecompute => "signal_recompute",
        _ => anchor.ToString(),
    };

    public static bool TryParse(string text, out PriceAnchor anchor)
    {
        foreach (var candidate in Enum.GetValues<PriceAnchor>())
        {
            if (string.Equals(candidate.ToConfigName(), text, StringComparison.Ordinal))
            {
                anchor = candidate;
                return true;
            }
        }
        anchor = default;
        return false;
    }
}

/// <summary>One face of the six-sided die: how much to re-enter with, after how long, priced from where, how often.</summary>
public sealed record ReentryProfile(int Face, double Sizing, int DelaySeconds, PriceAnchor PriceAnchor, int MaxRetries)
{
    public TimeSpan Delay => TimeSpan.FromSeconds(DelaySeconds);
}
