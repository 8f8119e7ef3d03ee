namespace HueyP.Domain.Ledger;

/// <summary>
/// The ledger is single-currency: every figure is in <see cref="AccountCurrency"/> (USD by default), so it accepts
/// only symbols quoted in that currency (EURUSD, GBPUSD, XAUUSD). FX quantities are units of the base currency and
/// P&amp;L arises in the quote currency, which is then the account currency and needs no conversion.
/// </summary>
public sealed record LedgerOptions(decimal Leverage = 30m, TimeSpan SessionBoundaryUtc = default, string AccountCurrency = "USD")
{
    /// <summary>FX trading day rolls at 22:00 UTC (17:00 New York).</summary>
    public static LedgerOptions Default { get; } = new(30m, TimeSpan.FromHours(22));

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Leverage < 1m) errors.Add($"leverage must be at least 1, got {Leverage}");
        if (SessionBoundaryUtc < TimeSpan.Zero || SessionBoundaryUtc >= TimeSpan.FromDays(1))
            errors.Add($"session boundary must be a time of day in [00:00, 24:00), got {SessionBoundaryUtc}");
        if (string.IsNullOrWhiteSpace(AccountCurrency) || AccountCurrency.Length != 3)
            errors.Add($"account currency must be a 3-letter code, got '{AccountCurrency}'");
        return errors;
    }

    /// <summary>The instant the trading session containing <paramref name="timeUtc"/> began.</summary>
    public DateTime SessionStart(DateTime timeUtc)
    {
        var boundaryToday = timeUtc.Date + SessionBoundaryUtc;
        return timeUtc >= boundaryToday ? boundaryToday : boundaryToday.AddDays(-1);
    }
}
