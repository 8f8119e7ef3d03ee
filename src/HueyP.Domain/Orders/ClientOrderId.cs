using System.Globalization;
using System.Text.RegularExpressions;

namespace HueyP.Domain.Orders;

/// <summary>
/// Deterministic client order ids: STRATEGY-SYMBOL-yyyyMMddTHHmm-NNNN, e.g. EMAX-EURUSD-20250401T1030-0003.
/// The same (strategy, symbol, bar, counter) always yields the same id, so an id minted before a crash is
/// minted identically on replay and the broker can recognise a resend as the same order.
/// </summary>
public static partial class ClientOrderId
{
    public const int MaxCounter = 9999;

    [GeneratedRegex("^[A-Z0-9]+$")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^([A-Z0-9]+)-([A-Z0-9]+)-([0-9]{8}T[0-9]{4})-([0-9]{4})$")]
    private static partial Regex IdPattern();

    public static string Format(string strategy, string symbol, DateTime barTimeUtc, int counter)
    {
        var strategyToken = NormaliseToken(strategy, nameof(strategy));
        var symbolToken = NormaliseToken(symbol, nameof(symbol));
        if (barTimeUtc.Kind == DateTimeKind.Local)
            throw new ArgumentException("bar time must be UTC (Kind Utc or Unspecified), not Local", nameof(barTimeUtc));
        if (counter < 1 || counter > MaxCounter)
            throw new ArgumentOutOfRangeException(nameof(counter), counter, $"counter must be between 1 and {MaxCounter}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{strategyToken}-{symbolToken}-{barTimeUtc:yyyyMMdd'T'HHmm}-{counter:D4}");
    }

    public static bool TryParse(string id, out ClientOrderIdParts parts)
    {
        parts = default;
        var match = IdPattern().Match(id ?? string.Empty);
        if (!match.Success) return false;
        if (!DateTime.TryParseExact(match.Groups[3].Value, "yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var bar))
            return false;
        parts = new ClientOrderIdParts(match.Groups[1].Value, match.Groups[2].Value, bar,
            int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture));
        return parts.Counter >= 1;
    }

    private static string NormaliseToken(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} must not be empty", name);
        var token = value.Trim().ToUpperInvariant();
        if (!TokenPattern().IsMatch(token))
            throw new ArgumentException($"{name} '{value}' may contain only letters and digits (it becomes part of an order id)", name);
        return token;
    }
}

public readonly record struct ClientOrderIdParts(string Strategy, string Symbol, DateTime BarTimeUtc, int Counter);

/// <summary>
/// The counter behind client order ids, one per (strategy, symbol). The actor persists <see cref="LastCounter"/>
/// with the order it minted (or restores it from the highest id in its journal), so a restart continues the
/// sequence and never mints a second id for an intent that already has one.
/// </summary>
public sealed record ClientOrderIdSequence(string Strategy, string Symbol, int LastCounter = 0)
{
    public (string ClientOrderId, ClientOrderIdSequence Next) Mint(DateTime barTimeUtc)
    {
        var counter = LastCounter + 1;
        if (counter > ClientOrderId.MaxCounter)
            throw new InvalidOperationException($"client order id counter for {Strategy}/{Symbol} is exhausted ({ClientOrderId.MaxCounter})");
        return (ClientOrderId.Format(Strategy, Symbol, barTimeUtc, counter), this with { LastCounter = counter });
    }

    /// <summary>Recovery: the sequence continues after the highest counter found among already-minted ids.</summary>
    public static ClientOrderIdSequence Restore(string strategy, string symbol, IEnumerable<string> mintedIds)
    {
        var strategyToken = strategy.Trim().ToUpperInvariant();
        var symbolToken = symbol.Trim().ToUpperInvariant();
        var last = 0;
        foreach (var id in mintedIds)
            if (ClientOrderId.TryParse(id, out var parts) && parts.Strategy == strategyToken && parts.Symbol == symbolToken)
                last = Math.Max(last, parts.Counter);
        return new ClientOrderIdSequence(strategy, symbol, last);
    }
}
