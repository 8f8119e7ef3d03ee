using HueyP.Domain.Broker;
using HueyP.Domain.Ledger;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.Trading;

namespace HueyP.Domain.Tests.Broker;

/// <summary>Order machine, paper broker and ledger together: what the actors will do, minus the actors.</summary>
public class PaperBrokerEndToEndTests
{
    private static readonly DateTime T0 = new(2025, 4, 1, 10, 0, 0, DateTimeKind.Utc);
    private const string Id = "EMAX-EURUSD-20250401T1000-0001";

    [Fact]
    public void An_entry_filled_then_stopped_out_leaves_a_flat_ledger_that_agrees_with_the_broker()
    {
        var options = new PaperBrokerOptions([new PaperSymbol("EURUSD", 0.0001m)], Slippage: 0.2m, CommissionPerMillion: 30m,
            Hours: MarketHours.Continuous);
        var broker = PaperBroker.OnQuote(PaperBrokerState.Open(options, 10_000m), new Quote("EURUSD", T0, 1.0850, 1.0852)).State;
        var book = OrderBook.Empty;
        var ledger = LedgerState.Open(LedgerOptions.Default, 10_000m, T0);

        void Feed(IReadOnlyList<IExecutionReport> reports)
        {
            foreach (var report in reports)
            {
                if (ExecutionReportTranslation.ToOrderEvent(report) is { } orderEvent)
                {
                    var (next, decision) = book.Handle(orderEvent);
                    Assert.True(decision.IsAccepted, decision.Error);
                    book = next;
                }
                if (ExecutionReportTranslation.ToLedgerEvent(report) is { } ledgerEvent)
                {
                    var (next, decision) = LedgerMachine.Handle(ledger, ledgerEvent);
                    Assert.True(decision.IsAccepted, decision.Message);
                    ledger = next;
                }
            }
        }

        book = book.Handle(new OrderInitialized(Id, "EMAX", "EURUSD", Side.Buy, OrderType.Market, 10_000m, null, 1.0830m, 1.0900m,
            T0, T0, 1.0851m, T0)).Book;
        book = book.Handle(new OrderSubmitted(Id, T0.AddSeconds(1))).Book;
        var (afterSubmit, accepted) = PaperBroker.Submit(broker, new BrokerOrderRequest(Id, "EURUSD", Side.Buy, OrderType.Market,
            10_000m, null, 1.0830m, 1.0900m), T0.AddSeconds(1));
        Feed(accepted);
        var (afterFill, filled) = PaperBroker.OnQuote(afterSubmit, new Quote("EURUSD", T0.AddSeconds(2), 1.0851, 1.0853));
        Feed(filled);
        var (afterStop, stopped) = PaperBroker.OnQuote(afterFill, new Quote("EURUSD", T0.AddSeconds(3), 1.0829, 1.0831));
        Feed(stopped);

        Assert.Equal(OrderStatus.Filled, book.Find(Id)!.Status);
        Assert.Equal(1.08532m, book.Find(Id)!.AverageFillPrice);          // ask + 0.2 pip
        Assert.True(ledger.PositionOf("EURUSD").IsFlat);
        Assert.Equal(afterStop.QuantityOf("EURUSD"), ledger.PositionOf("EURUSD").Quantity);
        Assert.Equal(afterStop.Balance, ledger.Cash);                      // same P&L and fees on both sides
        Assert.Equal(10_000m * (1.08288m - 1.08532m) - 0.33m - 0.32m, ledger.RealizedPnl - ledger.FeesPaid);
    }
}
