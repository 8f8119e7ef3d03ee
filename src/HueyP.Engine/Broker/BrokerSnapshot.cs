using System.Collections.Immutable;
using HueyP.Domain.Broker;

namespace HueyP.Engine.Broker;

/// <summary>
/// The paper broker's matching state, as stored in a checkpoint: working orders, positions, last quotes, counters,
/// PRNG state and submissions not yet matched. Finished orders and the fill history are left out (our journal keeps
/// those), so a checkpoint does not grow with the history. Lists, not dictionaries: see LedgerSnapshot.
/// </summary>
public sealed record BrokerSnapshot(
    decimal Balance, List<BrokerOrder> WorkingOrders, List<BrokerPosition> Positions, List<BrokerSnapshotQuote> LastQuotes,
    long NextOrderNumber, long NextFillNumber, ulong RngState, List<BrokerRequestReceived> Pending)
{
    public static BrokerSnapshot From(PaperBrokerState s, IEnumerable<BrokerRequestReceived> pending) => new(
        s.Balance, s.OpenOrders.ToList(), s.Positions.Values.ToList(),
        s.LastQuotes.Select(q => new BrokerSnapshotQuote(q.Key, q.Value.Bid, q.Value.Ask, q.Value.TimeUtc)).ToList(),
        s.NextOrderNumber, s.NextFillNumber, s.RngState, pending.ToList());

    public PaperBrokerState ToState(PaperBrokerOptions options) => new(options, Balance,
        WorkingOrders.ToImmutableSortedDictionary(o => o.BrokerOrderId, o => o, StringComparer.Ordinal),
        Positions.ToImmutableSortedDictionary(p => p.Symbol, p => p, StringComparer.Ordinal),
        LastQuotes.ToImmutableSortedDictionary(q => q.Symbol, q => new BrokerQuote(q.Bid, q.Ask, q.TimeUtc), StringComparer.Ordinal),
        [], NextOrderNumber, NextFillNumber, RngState);
}

public sealed record BrokerSnapshotQuote(string Symbol, decimal Bid, decimal Ask, DateTime TimeUtc);
