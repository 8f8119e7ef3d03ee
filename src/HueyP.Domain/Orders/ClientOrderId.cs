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

    /// <summary>
    /// Parses STRATEGY-SYMBOL-yyyyMMddTHHmm-NNNN by hand: it runs for every order event (the machine checks ids), and a
    /// regex match with its groups and substrings cost more than the rest of the check. Accepts exactly what
    /// <c>^([A-Z0-9]+)-([A-Z0-9]+)-([0-9]{8}T[0-9]{4})-([0-9]{4})$</c> did, including its <c>$</c> before one final newline.
    /// </summary>
    public static bool TryParse(string id, out ClientOrderIdParts parts)
    {
        parts = default;
        var text = (id ?? string.Empty).AsSpan();
        if (text.Length > 0 && text[^1] == '\n') text = text[..^1];
        // STRATEGY-SYMBOL-yyyyMMddTHHmm-NNNN: the last 19 characters are fixed, tokens never contain '-'.
        const int tail = 1 + 13 + 1 + 4;
        if (text.Length < tail + 3) return false;
        var head = text[..^tail];
        var dash = head.IndexOf('-');
        if (dash <= 0 || dash == head.Length - 1) return false;
        var strategy = head[..dash];
        var symbol = head[(dash + 1)..];
        if (!IsToken(strategy) || !IsToken(symbol)) return false;
        var rest = text[^tail..];
        if (rest[0] != '-' || rest[9] != 'T' || rest[14] != '-') return false;
        if (!TryDigits(rest.Slice(1, 4), out var year) || !TryDigits(rest.Slice(5, 2), out var month) || !TryDigits(rest.Slice(7, 2), out var day)
            || !TryDigits(rest.Slice(10, 2), out var hour) || !TryDigits(rest.Slice(12, 2), out var minute) || !TryDigits(rest.Slice(15, 4), out var counter))
            return false;
        // What DateTime.TryParseExact("yyyyMMdd'T'HHmm") accepts: a real calendar date and time of day.
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59) return false;
        parts = new ClientOrderIdParts(strategy.ToString(), symbol.ToString(), new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc), counter);
        return parts.Counter >= 1;
    }

    private static bool IsToken(ReadOnlySpan<char> token)
    {
        foreach (var c in token)
            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9'))) return false;
        return token.Length > 0;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
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
