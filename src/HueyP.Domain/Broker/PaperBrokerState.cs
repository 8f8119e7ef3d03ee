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

    // Derived from Orders, never part of the state's identity (see Equals). A state whose Orders were replaced without
    // it (a `with` from outside PaperBrokerSession, a deserialized state) builds a fresh one on first use.
    private BrokerOrderIndex? _orderIndex;

    internal BrokerOrderIndex OrderIndex
    {
        get
        {
            var index = _orderIndex;
            if (index is null || !ReferenceEquals(index.Orders, Orders)) _orderIndex = index = BrokerOrderIndex.Build(Orders);
            return index;
        }
    }

    /// <summary>A state with its index already built (by <see cref="PaperBrokerSession"/>) for exactly these orders.</summary>
    internal static PaperBrokerState WithIndex(PaperBrokerOptions options, decimal balance, ImmutableSortedDictionary<string, BrokerOrder> orders,
        ImmutableSortedDictionary<string, BrokerPosition> positions, ImmutableSortedDictionary<string, BrokerQuote> lastQuotes,
        ImmutableList<BrokerFillRecord> fills, long nextOrderNumber, long nextFillNumber, ulong rngState, BrokerOrderIndex index) =>
        new(options, balance, orders, positions, lastQuotes, fills, nextOrderNumber, nextFillNumber, rngState) { _orderIndex = index };

    public IEnumerable<BrokerOrder> OpenOrders => Orders.Values.Where(o => o.Status == BrokerOrderStatus.Working);

    /// <summary>The order with this client id (the one with the smallest broker id if several), or null.</summary>
    public BrokerOrder? FindByClientId(string clientOrderId) => OrderIndex.FindByClientId(clientOrderId);

    public bool Equals(PaperBrokerState? other) =>
        ReferenceEquals(this, other) || (other is not null && EqualityContract == other.EqualityContract
            && EqualityComparer<PaperBrokerOptions>.Default.Equals(Options, other.Options) && Balance == other.Balance
            && EqualityComparer<ImmutableSortedDictionary<string, BrokerOrder>>.Default.Equals(Orders, other.Orders)
            && EqualityComparer<ImmutableSortedDictionary<string, BrokerPosition>>.Default.Equals(Positions, other.Positions)
            && EqualityComparer<ImmutableSortedDictionary<string, BrokerQuote>>.Default.Equals(LastQuotes, other.LastQuotes)
            && EqualityComparer<ImmutableList<BrokerFillRecord>>.Default.Equals(Fills, other.Fills)
            && NextOrderNumber == other.NextOrderNumber && NextFillNumber == other.NextFillNumber && RngState == other.RngState);

    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(Options, Balance, Orders, Positions, LastQuotes), Fills, NextOrderNumber, NextFillNumber, RngState);

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
