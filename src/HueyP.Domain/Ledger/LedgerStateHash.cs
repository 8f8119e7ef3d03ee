using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HueyP.Domain.Ledger;

/// <summary>
/// Deterministic SHA-256 over a canonical text rendering of the ledger, for `hueyp state rebuild`: a state rebuilt
/// from the journal must hash identically to the live one. Decimals are rendered without trailing zeros
/// (1.10 and 1.1 are the same money), times as ISO-8601 UTC ticks, collections in ordinal key order.
/// </summary>
public static class LedgerStateHash
{
    public static string Compute(LedgerState state) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Render(state))));

    public static string Render(LedgerState state)
    {
        var sb = new StringBuilder();
        sb.Append("ledger/v1\n");
        Line(sb, "options", D(state.Options.Leverage), state.Options.SessionBoundaryUtc.Ticks.ToString(CultureInfo.InvariantCulture), state.Options.AccountCurrency);
        Line(sb, "cash", D(state.Cash));
        Line(sb, "realized", D(state.RealizedPnl));
        Line(sb, "fees", D(state.FeesPaid));
        Line(sb, "peak", D(state.PeakNav), D(state.MaxDrawdown), D(state.MaxDrawdownFraction));
        Line(sb, "session", T(state.SessionStartUtc), D(state.SessionOpenNav), D(state.SessionPeakNav), D(state.SessionMaxDrawdown));
        foreach (var (symbol, p) in state.Positions)
            Line(sb, "position", symbol, D(p.Quantity), D(p.AveragePrice), D(p.RealizedPnl));
        foreach (var (symbol, m) in state.Marks)
            Line(sb, "mark", symbol, D(m.Bid), D(m.Ask), T(m.TimeUtc));
        foreach (var id in state.AppliedEntryIds)
            Line(sb, "applied", id);
        return sb.ToString();
    }

    /// <summary>Canonical decimal: no trailing zeros, invariant culture, "0" for any zero.</summary>
    public static string D(decimal value) =>
        value == 0m ? "0" : value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static string T(DateTime time) => time.Ticks.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder sb, string tag, params string[] fields)
    {
        sb.Append(tag);
        foreach (var f in fields) sb.Append('|').Append(f.Replace("|", "\\|", StringComparison.Ordinal));
        sb.Append('\n');
    }
}
