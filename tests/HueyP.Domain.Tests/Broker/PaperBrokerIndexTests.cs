using System.Collections.Immutable;
using HueyP.Domain.Broker;
using HueyP.Domain.Market;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Broker;

/// <summary>
/// The broker finds orders by client id and protective children by parent through an index it keeps step by step.
/// A state whose order book was handed over from outside builds its index afresh; both must match, fill and cancel
/// exactly alike — through partial fills, growing OCO pairs, sibling shrinks and cancels.
/// </summary>
public class PaperBrokerIndexTests
{
    private static readonly DateTime T0 = new(2025, 4, 1, 10, 0, 0, DateTimeKind.Utc);

    private static PaperBrokerOptions Options() =>
        new([new PaperSymbol("EURUSD", 0.0001m)], 0.2m, SlippageUnit.Pips, Leverage: 30m,
            PartialFillProbability: 0.5, LotStep: 1_000m, Seed: 11, Hours: MarketHours.Fx);

    /// <summary>The same state with a book the broker did not build (a new collection): no index carried over.</summary>
    private static PaperBrokerState Handed(PaperBrokerState s) =>
        s with { Orders = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, s.Orders) };

    [Fact]
    public void Matching_on_a_kept_index_and_on_a_fresh_one_gives_the_same_book_and_reports()
    {
        var random = new Random(5);
        var kept = PaperBroker.OnQuote(PaperBrokerState.Open(Options(), 1_000_000m), new Quote("EURUSD", T0, 1.0850, 1.0852)).State;
        var fresh = kept;
        var orders = 0;
        for (var step = 1; step <= 400; step++)
        {
            var at = T0.AddSeconds(step);
            var roll = random.Next(10);
            (PaperBrokerState, IReadOnlyList<IExecutionReport>) Apply(PaperBrokerState s)
            {
                if (roll < 4)
                {
                    var buy = random.Next(2) == 0;
                    var id = $"O{orders}";
                    return PaperBroker.Submit(s, new BrokerOrderRequest(id, "EURUSD", buy ? Side.Buy : Side.Sell, OrderType.Market,
                        1_000m * random.Next(1, 20), null, buy ? 1.0700m : 1.1000m, buy ? 1.1000m : 1.0700m), at);
                }
                if (roll < 5 && orders > 0) return PaperBroker.Cancel(s, $"O{random.Next(orders)}", at);
                var mid = 1.0850 + (random.NextDouble() - 0.5) * 0.08;
                return PaperBroker.OnQuote(s, new Quote("EURUSD", at, Math.Round(mid, 5), Math.Round(mid + 0.0002, 5)));
            }

            // Both sides draw the same random numbers: the generator is rewound for the second.
            var state = random.Next();
            random = new Random(state);
            var (keptNext, keptReports) = Apply(kept);
            random = new Random(state);
            var (freshNext, freshReports) = Apply(Handed(fresh));
            if (roll < 4) orders++;

            Assert.Equal(keptReports, freshReports);
            Assert.Equal(keptNext.Orders.Values, freshNext.Orders.Values);
            Assert.Equal(keptNext.Fills, freshNext.Fills);
            (kept, fresh) = (keptNext, freshNext);
        }
        Assert.Contains(kept.Orders.Values, o => o.Role != BrokerOrderRole.Entry && o.Status == BrokerOrderStatus.Canceled);
        Assert.Contains(kept.Fills, f => f.Role != BrokerOrderRole.Entry);
        Assert.Contains(kept.Orders.Values, o => o.Role == BrokerOrderRole.Entry && o.FilledQuantity > 0 && o.FilledQuantity < o.Quantity);
    }

    [Fact]
    public void A_client_id_used_twice_is_found_as_the_order_with_the_smallest_broker_id()
    {
        var s = PaperBroker.OnQuote(PaperBrokerState.Open(Options(), 1_000_000m), new Quote("EURUSD", T0, 1.0850, 1.0852)).State;
        s = PaperBroker.Submit(s, new BrokerOrderRequest("A", "EURUSD", Side.Buy, OrderType.Market, 1_000m, null, null, null), T0).State;
        var first = Assert.Single(s.Orders.Values);
        // A second order under the same client id can only come from outside the broker (a restored book).
        var twin = first with { BrokerOrderId = "PB99999999" };
        var withTwin = s with { Orders = s.Orders.Add(twin.BrokerOrderId, twin) };

        Assert.Equal(first.BrokerOrderId, withTwin.FindByClientId("A")!.BrokerOrderId);
        Assert.Contains("duplicate client order id", Assert.IsType<BrokerOrderRejected>(Assert.Single(
            PaperBroker.Submit(withTwin, new BrokerOrderRequest("A", "EURUSD", Side.Buy, OrderType.Market, 1_000m, null, null, null), T0.AddSeconds(1)).Reports)).Reason);
    }
}
