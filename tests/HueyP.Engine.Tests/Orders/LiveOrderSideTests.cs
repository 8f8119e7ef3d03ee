using HueyP.Actors;
using HueyP.Domain.Broker;
using HueyP.Domain.Decisions;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Reconciliation;
using HueyP.Domain.Trading;
using HueyP.Engine.Broker;
using HueyP.Engine.Orders;
using HueyP.Persistence;
using Xunit.Abstractions;
using PersistenceExtension = HueyP.Persistence.PersistentActors.Persistence;

namespace HueyP.Engine.Tests.Orders;

/// <summary>
/// A live engine with the order side on a real journal: intents become orders, the paper broker matches live quotes,
/// the ledger books each fill once; the kill switch and start-up reconciliation survive restarts.
/// </summary>
public sealed class LiveOrderSideTests(ITestOutputHelper output)
{
    private static readonly DateTime Start = new(2025, 4, 1, 10, 30, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>One node incarnation: its own actor system on the shared journal file.</summary>
    private sealed class LiveNode : IAsyncDisposable
    {
        private readonly PersistenceStore _store;
        private DateTime _clock;

        private LiveNode(ActorSystem system, PersistenceStore store, EngineHost host, DateTime clock)
        {
            System = system;
            _store = store;
            Host = host;
            _clock = clock;
        }

        public ActorSystem System { get; }
        public EngineHost Host { get; }
        public OrderSide Desk => Host.OrderSide!;

        public static async Task<LiveNode> StartAsync(string db, string name, DateTime clock, Func<EngineSettings, EngineSettings>? adjust = null)
        {
            var system = ActorSystem.Create(name);
            var store = JournalFactory.Create(OrderReplayTests.Journal(db), EngineEvents.Serializer());
            await store.InitializeAsync();
            PersistenceExtension.Install(system, store);
            var settings = TestData.Settings() with { Mode = EngineMode.Live, Orders = OrderReplayTests.Orders() };
            settings = adjust?.Invoke(settings) ?? settings;
            var host = await EngineHost.StartAsync(system, settings, name: "engine");
            return new LiveNode(system, store, host, clock);
        }

        /// <summary>A quote a second after the previous one (the broker and the symbols see it, as from a feed).</summary>
        public DateTime Quote(string symbol, double bid, double ask)
        {
            _clock = _clock.AddSeconds(1);
            Host.PublishLive(new Quote(symbol, _clock, bid, ask));
            return _clock;
        }

        public DateTime Now => _clock;

        /// <summary>An intent as the live pipeline hands it over (0.1 lot = 10,000 units).</summary>
        public void Intent(DateTime decision, Side side = Side.Buy, OrderType type = OrderType.Market, double? limit = null) =>
            Host.Sink.Submit(new OrderIntent("EMAX", "EURUSD", side, 0.1m, type, decision.AddMinutes(-5), decision, 1.08, limit,
                side == Side.Buy ? 1.07 : 1.09, side == Side.Buy ? 1.09 : 1.07, 1, "test"), null!);

        public async ValueTask DisposeAsync()
        {
            await System.Terminate();
            await _store.DisposeAsync();
        }
    }

    private static async Task<OrderState> OrderWhen(LiveNode node, string id, Func<OrderState, bool> condition, Action? nudge = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var details = await node.Desk.OrderAsync(id);
            if (details is not null && condition(details.State)) return details.State;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"order {id} never got there; last {details?.State.Status}");
            nudge?.Invoke();
            await Task.Delay(20);
        }
    }

    private static async Task<IntakeStats> StatsWhen(LiveNode node, Func<IntakeStats, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var stats = await node.Desk.Intake.Ask<IntakeStats>(GetIntakeStats.Instance, TimeSpan.FromSeconds(10));
            if (condition(stats)) return stats;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"intake never got there: {stats.Orders} orders");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_live_intent_becomes_an_order_that_the_broker_fills_on_a_later_quote_and_the_ledger_books_once()
    {
        var db = TestData.TempFile("live.db");
        string id;
        string ledgerHash;
        await using (var node = await LiveNode.StartAsync(db, "live-1", Start))
        {
            node.Quote("EURUSD", 1.0800, 1.0802);
            node.Intent(node.Now);
            id = (await StatsWhen(node, s => s.Orders == 1)).ClientOrderIds.Single();
            // Quotes keep coming; the one after the submission reached the broker fills it.
            var filled = await OrderWhen(node, id, o => o.Status == OrderStatus.Filled, () => node.Quote("EURUSD", 1.0810, 1.0812));
            var ledger = await node.Desk.LedgerAsync();

            Assert.Equal(10_000m, filled.FilledQuantity);
            Assert.True(filled.AverageFillPrice >= 1.0812m, $"a market buy pays the ask plus slippage, got {filled.AverageFillPrice}");
            Assert.Equal(1, ledger.Fills);
            Assert.Equal(10_000m, ledger.State.PositionOf("EURUSD").Quantity);
            Assert.Equal(filled.AverageFillPrice, ledger.State.PositionOf("EURUSD").AveragePrice);
            Assert.True(node.Desk.LastReconciliation!.Report.IsClean);

            // The same intent again (a resend) sends nothing: still one order, one fill.
            node.Intent(filled.DecisionTimeUtc);
            await StatsWhen(node, s => s.Replayed == 1);
            node.Quote("EURUSD", 1.0815, 1.0817);
            var after = await node.Desk.LedgerAsync();
            Assert.Equal(1, after.Fills);
            Assert.True(after.State.UnrealizedPnl != 0m, "live quotes mark the open position");
            ledgerHash = LedgerStateHashOf(after);
        }

        // A restart reconciles with the broker's journaled state and finds nothing to change.
        await using (var node = await LiveNode.StartAsync(db, "live-2", Start.AddHours(1)))
        {
            var run = node.Desk.LastReconciliation!;
            output.WriteLine(run.Report.Render());
            Assert.Equal("start-up", run.Trigger);
            Assert.True(run.Report.IsClean, run.Report.Render());
            Assert.Equal(ledgerHash, LedgerStateHashOf(await node.Desk.LedgerAsync()));
            Assert.Equal(OrderStatus.Filled, (await node.Desk.OrderAsync(id))!.State.Status);
        }
    }

    [Fact]
    public async Task Two_days_of_real_quotes_through_the_live_pipeline_trade_and_every_fill_is_in_orders_and_ledger_exactly_once()
    {
        // Credits high enough that nothing is conflated: every quote reaches its symbol, as a quiet market would.
        await using var node = await LiveNode.StartAsync(TestData.TempFile("pipeline.db"), "live-pipeline", Start,
            s => s with { LiveCreditsPerSymbol = 1_000_000 });
        using (var reader = TestData.AprilBars().Feed.OpenReader())
        {
            // Paced like a feed (a short pause every few quotes, not all at once): an order reaches the broker while
            // quotes still arrive, and fills on the first one after it did.
            var published = 0;
            while (reader.TryRead(out var quote) && quote.TimeUtc < OrderReplayTests.FirstTwoDays.ToUtc)
            {
                node.Host.PublishLive(quote);
                if (++published % 25 == 0) await Task.Delay(1);
            }
        }

        // Settled: nothing changes any more between two looks.
        (long, long, long) Look(IntakeStats i, HueyP.Engine.Ledger.LedgerView l) => (i.Orders, l.Fills, l.SequenceNr);
        var deadline = DateTime.UtcNow + Patience;
        var last = (-1L, -1L, -1L);
        while (true)
        {
            var now = Look(await node.Desk.Intake.Ask<IntakeStats>(GetIntakeStats.Instance, TimeSpan.FromSeconds(10)), await node.Desk.LedgerAsync());
            if (now == last) break;
            Assert.True(DateTime.UtcNow < deadline, "the live pipeline never settled");
            last = now;
            await Task.Delay(500);
        }

        var book = await node.Desk.BookAsync();
        var ledger = await node.Desk.LedgerAsync();
        var broker = await node.Desk.Broker.Ask<BrokerStateReport>(new PauseMatching(TimeSpan.FromSeconds(30)), Patience);
        node.Desk.Broker.Tell(ResumeMatching.Instance);
        var report = Reconciler.Run(book with { Orders = book.Orders.RemoveRange(broker.Pending) }, ledger.State, broker.Snapshot);
        output.WriteLine($"{book.Orders.Count} orders, {ledger.Fills} fills booked, {broker.Snapshot.Fills.Count} broker fills");
        output.WriteLine(report.Render());

        Assert.True(book.Orders.Count > 0, "two days of M5 crossings should trade");
        Assert.True(ledger.Fills > 0, "the paper broker should fill on the live quotes");
        Assert.True(report.IsClean, report.Render());
        var entryFills = book.Orders.Values.SelectMany(o => o.FillIds).ToList();
        Assert.Equal(entryFills.Count, entryFills.Distinct().Count());
        Assert.All(entryFills, id => Assert.Contains(id, ledger.State.AppliedEntryIds));
        Assert.Equal(broker.Snapshot.Fills.Count, ledger.Fills);
    }

    private static string LedgerStateHashOf(HueyP.Engine.Ledger.LedgerView view) => view.Hash;

    [Fact]
    public async Task A_fill_the_broker_made_while_the_node_was_down_is_journaled_at_start_up_once_and_a_second_restart_changes_nothing()
    {
        var db = TestData.TempFile("recon.db");
        string id;
        await using (var node = await LiveNode.StartAsync(db, "recon-1", Start))
        {
            node.Quote("EURUSD", 1.0800, 1.0802);
            // A resting buy limit below the market: accepted, working.
            node.Intent(node.Now, type: OrderType.Limit, limit: 1.0790);
            id = (await StatsWhen(node, s => s.Orders == 1)).ClientOrderIds.Single();
            await OrderWhen(node, id, o => o.Status == OrderStatus.Accepted, () => node.Quote("EURUSD", 1.0800, 1.0802));
        }

        // While HueyP is down the broker keeps trading: the market falls through the limit and it fills. Nobody of
        // ours hears about it (orders and ledger are not running).
        await using (var store = JournalFactory.Create(OrderReplayTests.Journal(db), EngineEvents.Serializer()))
        {
            await store.InitializeAsync();
            var system = ActorSystem.Create("broker-alone");
            PersistenceExtension.Install(system, store);
            var broker = system.ActorOf(PaperBrokerActor.Props(new PaperBrokerSettings { Options = OrderReplayTests.Orders().Broker }, ActorRefs.Nobody, ActorRefs.Nobody), "broker");
            broker.Tell(new MatchLiveQuote(new Quote("EURUSD", Start.AddMinutes(30), 1.0780, 1.0782)));
            var report = await broker.Ask<BrokerStateReport>(new QueryBrokerOrder(id), Patience);
            Assert.Single(report.Snapshot.Fills);
            await system.Terminate();
        }

        string hash;
        await using (var node = await LiveNode.StartAsync(db, "recon-2", Start.AddHours(1)))
        {
            var run = node.Desk.LastReconciliation!;
            output.WriteLine(run.Report.Render());
            Assert.Contains(run.Report.Findings, f => f.Kind == FindingKind.MissedFill && f.Subject.Contains(id, StringComparison.Ordinal));
            Assert.Single(run.Report.LedgerEvents);
            var order = (await node.Desk.OrderAsync(id))!.State;
            Assert.Equal(OrderStatus.Filled, order.Status);
            Assert.Equal(1.0782m, order.AverageFillPrice);
            var ledger = await node.Desk.LedgerAsync();
            Assert.Equal(10_000m, ledger.State.PositionOf("EURUSD").Quantity);
            Assert.Equal(1, ledger.Fills);
            hash = ledger.Hash;
        }

        await using (var node = await LiveNode.StartAsync(db, "recon-3", Start.AddHours(2)))
        {
            Assert.True(node.Desk.LastReconciliation!.Report.IsClean, node.Desk.LastReconciliation.Report.Render());
            Assert.Equal(hash, (await node.Desk.LedgerAsync()).Hash);
            Assert.Single((await node.Desk.OrderAsync(id))!.Events.OfType<OrderFilled>());
        }
    }

    [Fact]
    public async Task The_kill_switch_denies_new_orders_with_KILL_SWITCH_ACTIVE_cancels_working_ones_and_survives_a_restart()
    {
        var db = TestData.TempFile("kill.db");
        string resting;
        await using (var node = await LiveNode.StartAsync(db, "kill-1", Start))
        {
            node.Quote("EURUSD", 1.0800, 1.0802);
            node.Intent(node.Now, type: OrderType.Limit, limit: 1.0790);
            resting = (await StatsWhen(node, s => s.Orders == 1)).ClientOrderIds.Single();
            await OrderWhen(node, resting, o => o.Status == OrderStatus.Accepted, () => node.Quote("EURUSD", 1.0800, 1.0802));

            var (status, canceled) = await node.Desk.SetKillSwitchAsync(true, cancelAll: true, "desk says stop", "tester", node.Now);
            Assert.True(status.Active);
            Assert.Equal([resting], canceled!.Requested);
            await OrderWhen(node, resting, o => o.Status == OrderStatus.Canceled);

            node.Intent(node.Quote("EURUSD", 1.0800, 1.0802));
            var stats = await StatsWhen(node, s => s.Orders == 2);
            var denied = (await node.Desk.OrderAsync(stats.ClientOrderIds.Single(i => i != resting)))!.State;
            Assert.Equal(OrderStatus.Denied, denied.Status);
            Assert.Contains(PreTradeReasonCodes.KillSwitchActive, denied.LastReason);
        }

        await using (var node = await LiveNode.StartAsync(db, "kill-2", Start.AddHours(1)))
        {
            var status = await node.Desk.KillSwitchAsync();
            Assert.True(status.Active);
            Assert.Equal("desk says stop", status.Reason);
            Assert.Equal("tester", status.Who);
            node.Intent(node.Quote("EURUSD", 1.0800, 1.0802));
            var stats = await StatsWhen(node, s => s.Orders == 3);
            Assert.Equal(2, stats.DeniedByReason[PreTradeReasonCodes.KillSwitchActive]);

            await node.Desk.SetKillSwitchAsync(false, cancelAll: false, "all clear", "tester", node.Now);
            node.Intent(node.Quote("EURUSD", 1.0800, 1.0802));
            var after = await StatsWhen(node, s => s.Orders == 4);
            Assert.Equal(2, after.Submitted);
        }
    }

    /// <summary>
    /// The paper broker with the node dying in front of it: the first submission reaches it (it trades, so its journal
    /// holds a quote time), every later one is lost as if the node had been killed between journaling OrderSubmitted and
    /// the broker recording the request.
    /// </summary>
    private sealed class LosingLaterSubmissionsBroker : ReceiveActor
    {
        public LosingLaterSubmissionsBroker(BrokerWiring wiring)
        {
            var paper = Context.ActorOf(PaperBrokerActor.Props(new PaperBrokerSettings { Options = wiring.Settings.Broker }, wiring.Orders, wiring.Ledger), "paper");
            var submissions = 0;
            Receive<SubmitToBroker>(c =>
            {
                if (++submissions == 1) paper.Forward(c);
            });
            ReceiveAny(m => paper.Forward(m));
        }
    }

    private static EngineSettings LosingLaterSubmissions(EngineSettings settings) => settings with
    {
        // No acknowledgement timeout while the node is up: the lost order stays a plain SUBMITTED, as at a kill.
        Orders = settings.Orders! with
        {
            BrokerProps = wiring => Props.Create(() => new LosingLaterSubmissionsBroker(wiring)),
            BrokerAckTimeout = TimeSpan.FromHours(1),
        },
    };

    /// <summary>Node 1: order A reaches the broker and fills; order B, decided a second later, is journaled SUBMITTED and lost.</summary>
    private static async Task<(string Filled, string Lost)> TradeThenLoseOneAsync(string db, string name)
    {
        await using var node = await LiveNode.StartAsync(db, name, Start, LosingLaterSubmissions);
        node.Intent(node.Quote("EURUSD", 1.0800, 1.0802));
        var first = (await StatsWhen(node, s => s.Submitted == 1)).ClientOrderIds.Single();
        await OrderWhen(node, first, o => o.Status == OrderStatus.Filled, () => node.Quote("EURUSD", 1.0810, 1.0812));
        node.Intent(node.Quote("EURUSD", 1.0810, 1.0812));
        var lost = (await StatsWhen(node, s => s.Submitted == 2)).ClientOrderIds.Single(i => i != first);
        await OrderWhen(node, lost, o => o.Status == OrderStatus.Submitted);
        return (first, lost);
    }

    [Fact]
    public async Task A_submitted_order_the_broker_never_received_is_sent_again_at_start_up_fills_once_and_a_second_restart_changes_nothing()
    {
        var db = TestData.TempFile("resend.db");
        var (first, id) = await TradeThenLoseOneAsync(db, "resend-1");

        string hash;
        await using (var node = await LiveNode.StartAsync(db, "resend-2", Start.AddSeconds(30)))
        {
            var run = node.Desk.LastReconciliation!;
            output.WriteLine(run.Report.Render());
            var finding = Assert.Single(run.Report.Findings);
            Assert.Equal(FindingKind.UnsentResent, finding.Kind);
            Assert.Equal([id], run.Report.ToResend);
            Assert.Equal([id], run.Resent);
            Assert.Empty(run.Report.OrderEvents);

            var filled = await OrderWhen(node, id, o => o.Status == OrderStatus.Filled, () => node.Quote("EURUSD", 1.0810, 1.0812));
            Assert.Equal(10_000m, filled.FilledQuantity);
            // A resend racing this one (a second reconciliation, say) is ignored by the broker: no second order, no rejection.
            var request = new BrokerOrderRequest(id, "EURUSD", Side.Buy, OrderType.Market, 10_000m, null, filled.StopLoss, filled.TakeProfit);
            Assert.Equal(id, (await node.Desk.Broker.Ask<BrokerRequestQueued>(new SubmitToBroker(request, filled.SubmittedAtUtc!.Value, IsResend: true), Patience)).ClientOrderId);
            node.Quote("EURUSD", 1.0815, 1.0817);

            var atBroker = await node.Desk.Broker.Ask<BrokerStateReport>(new QueryBrokerOrder(id), Patience);
            Assert.Single(atBroker.Snapshot.Orders, o => o.ClientOrderId == id);
            Assert.Single(atBroker.Snapshot.Fills, f => f.ClientOrderId == id);
            Assert.Empty(atBroker.Pending);
            var history = (await node.Desk.OrderAsync(id))!.Events;
            Assert.Single(history.OfType<OrderAccepted>());
            Assert.Single(history.OfType<OrderFilled>());
            Assert.Empty(history.OfType<OrderTransitionRejected>());
            var ledger = await node.Desk.LedgerAsync();
            // A's fill before the restart, B's after it: each booked once.
            Assert.Equal(2, ledger.State.AppliedEntryIds.Count(e => e != HueyP.Engine.Ledger.LedgerSettings.OpeningDepositId));
            Assert.Equal(20_000m, ledger.State.PositionOf("EURUSD").Quantity);
            hash = ledger.Hash;
        }

        await using (var node = await LiveNode.StartAsync(db, "resend-3", Start.AddHours(1)))
        {
            var run = node.Desk.LastReconciliation!;
            Assert.True(run.Report.IsClean, run.Report.Render());
            Assert.Empty(run.Resent);
            Assert.Equal(hash, (await node.Desk.LedgerAsync()).Hash);
            Assert.Single((await node.Desk.OrderAsync(id))!.Events.OfType<OrderFilled>());
            Assert.Single((await node.Desk.OrderAsync(first))!.Events.OfType<OrderFilled>());
        }
    }

    [Fact]
    public async Task A_submitted_order_the_broker_never_received_is_canceled_at_start_up_when_resending_is_off()
    {
        var db = TestData.TempFile("resend-off.db");
        var (_, id) = await TradeThenLoseOneAsync(db, "resend-off-1");

        await using (var node = await LiveNode.StartAsync(db, "resend-off-2", Start.AddSeconds(30),
                         s => s with { Orders = s.Orders! with { ResendUnsentWithin = TimeSpan.Zero } }))
        {
            var run = node.Desk.LastReconciliation!;
            Assert.Equal(FindingKind.UnknownToBroker, Assert.Single(run.Report.Findings).Kind);
            Assert.Empty(run.Resent);
            var order = (await node.Desk.OrderAsync(id))!.State;
            Assert.Equal(OrderStatus.Canceled, order.Status);
            Assert.Contains("unknown to broker", order.LastReason);
            Assert.Empty((await node.Desk.Broker.Ask<BrokerStateReport>(new QueryBrokerOrder(id), Patience)).Snapshot.Orders);
        }
    }
}
