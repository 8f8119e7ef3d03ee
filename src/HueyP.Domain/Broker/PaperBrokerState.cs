using System.Collections.Immutable;

namespace HueyP.Domain.Broker;

/// <summary>A top of book the broker remembers per symbol, in decimal.</summary>
public sealed record BrokerQuote(decimal Bid, decimal Ask, DateTime TimeUtc)
{
    public decimal Mid => (Bid + Ask) / 2m;
}

/// <summary>
/// The broker-side account: every order it ever held (working and finished), every execution, net positions,
/// balance and the PRNG state. This is what reconciliation compares the journal against.
/// </summary>
public sealed record PaperBrokerState(
    PaperBrokerOptions Options,
    decimal Balance,
    ImmutableSortedDictionary<string, BrokerOrder> Orders,
    ImmutableSortedDictionary<string, BrokerPosition> Positions,
    ImmutableSortedDictionary<string, BrokerQuote> LastQuotes,
    ImmutableList<BrokerFillRecord> Fills,
    long NextOrderNumber,
    long NextFillNumber,
    ulong RngState)
{
    public static PaperBrokerState Open(PaperBrokerOptions options, decimal balance)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        if (balance < 0) throw new ArgumentOutOfRangeException(nameof(balance), balance, "balance must not be negative");
        return new PaperBrokerState(options, balance,
            ImmutableSortedDictionary<string, BrokerOrder>.Empty.WithComparers(StringComparer.Ordinal),
            ImmutableSortedDictionary<string, BrokerPosition>.Empty.WithComparers(StringComparer.Ordinal),
            ImmutableSortedDictionary<string, BrokerQuote>.Empty.WithComparers(StringComparer.Ordinal),
            [], 1, 1, options.Seed);
    }

    public IEnumerable<BrokerOrder> OpenOrders => Orders.Values.Where(o => o.Status == BrokerOrderStatus.Working);

    public BrokerOrder? FindByClientId(string clientOrderId) =>
        Orders.Values.FirstOrDefault(o => o.ClientOrderId == clientOrderId);

    public decimal QuantityOf(string symbol) => Positions.GetValueOrDefault(symbol)?.Quantity ?? 0m;

    public decimal UnrealizedPnl => Positions.Values.Sum(p =>
    {
        if (p.Quantity == 0m || !LastQuotes.TryGetValue(p.Symbol, out var q)) return 0m;
        return ((p.Quantity > 0 ? q.Bid : q.Ask) - p.AveragePrice) * p.Quantity;
    });

    public decimal Equity => Balance + UnrealizedPnl;

    public decimal MarginUsed => MarginFor(Positions.Values.Select(p => (p.Symbol, p.Quantity)));

    public decimal MarginFor(IEnumerable<(string Symbol, decimal Quantity)> positions) =>
        positions.Sum(p => Math.Abs(p.Quantity) * PriceFor(p.Symbol)) / Options.Leverage;

    private decimal PriceFor(string symbol) =>
        LastQuotes.TryGetValue(symbol, out var q) ? q.Mid : Positions.GetValueOrDefault(symbol)?.AveragePrice ?? 0m;
}
