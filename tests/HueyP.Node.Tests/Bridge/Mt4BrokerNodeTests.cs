using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HueyP.Actors;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Domain.Market;
using HueyP.Domain.Orders;
using HueyP.Domain.Trading;
using HueyP.Node.Bridge;
using HueyP.Node.Bridge.Mt4Broker;
using HueyP.Node.Configuration;
using HueyP.Node.Hosting;
using Xunit.Abstractions;

namespace HueyP.Node.Tests.Bridge;

/// <summary>
/// A node whose broker is the MT4 broker (hueyp.bridge.broker = mt4), with the EA simulator connected over real loopback
/// transports: orders the engine takes in reach the EA once, its fills come back and the ledger books each once, across
/// a node restart and replayed EA reports.
/// </summary>
public sealed class Mt4BrokerNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Key = "mt4-broker-test-key";
    private static readonly DateTime DataStart = new(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);
    private string _folder = "";
    private string _configFile = "";
    private string _pipe = "";
    private int _port;
    private RunningNode? _node;
    private EaSimulator? _ea;

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("hueyp-mt4-broker").FullName;
        _pipe = $"/tmp/hueyp-mt4-{Guid.NewGuid():N}.sock";
        _port = FreePort();
        _configFile = Path.Combine(_folder, "test.conf");
        await File.WriteAllTextAsync(_configFile, $$"""
            include "{{Path.Combine(AppContext.BaseDirectory, "hocon", "reference.conf")}}"
            hueyp {
              node { name = "mt4-node", run-dir = "{{_folder}}" }
              admin.port = 0
              logging.console = off
              engine.constraints = "{{Path.Combine(AppContext.BaseDirectory, "data", "constraints.json")}}"
              bridge {
                enabled = on
                broker = mt4
                hmac-key = "{{Key}}"
                socket.port = {{_port}}
                pipe.name = "{{_pipe}}"
                spool.enabled = off
                mt4.check-interval = 300ms
                failover { min-backoff = 100ms, max-backoff = 1s, verify-interval = 50ms }
              }
            }
            """);
    }

    public async Task DisposeAsync()
    {
        if (_ea is not null) await _ea.DisposeAsync();
        if (_node is not null) await _node.DisposeAsync();
        if (File.Exists(_pipe)) File.Delete(_pipe);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing; the OS temp cleaner gets it.
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task<RunningNode> StartNodeAsync()
    {
        var modules = NodeConfiguration.Load(_configFile).Modules;
        _node = await NodeHost.StartAsync(_configFile, TextWriter.Null, engine: s => Mt4BrokerSelection.Apply(EngineConfiguration.LiveEngine(s), modules));
        return _node;
    }

    private async Task StopNodeAsync()
    {
        await _node!.DisposeAsync();
        _node = null;
    }

    private EaSimulator StartEa()
    {
        _ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = new IPEndPoint(IPAddress.Loopback, _port),
            Pipe = _pipe,
            HmacKey = System.Text.Encoding.UTF8.GetBytes(Key),
            Quotes = Enumerable.Range(0, 1_000_000).Select(i => new Quote("EURUSD", DataStart.AddMilliseconds(100 * i), 1.0800, 1.0802)),
            TickInterval = TimeSpan.FromMilliseconds(10),
        });
        _ea.Start();
        return _ea;
    }

    /// <summary>Quotes the test releases one at a time (the EA streams each as it comes), so a stop is crossed when the test says.</summary>
    private sealed class QuoteFeed : IDisposable
    {
        private readonly BlockingCollection<Quote> _quotes = new();
        private int _tick;

        public IEnumerable<Quote> Stream => _quotes.GetConsumingEnumerable();

        public void Next(double bid, double ask) => _quotes.Add(new Quote("EURUSD", DataStart.AddMilliseconds(100 * _tick++), bid, ask));

        /// <summary>Ends the stream, so the EA's tick writer returns and the simulator can stop.</summary>
        public void Dispose() => _quotes.CompleteAdding();
    }

    private EaSimulator StartEa(QuoteFeed feed)
    {
        _ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = new IPEndPoint(IPAddress.Loopback, _port),
            Pipe = _pipe,
            HmacKey = System.Text.Encoding.UTF8.GetBytes(Key),
            Quotes = feed.Stream,
            TickInterval = TimeSpan.Zero,
        });
        _ea.Start();
        return _ea;
    }

    private HueyP.Engine.Orders.OrderSide Orders => _node!.Runtime.Engine!.OrderSide!;

    private IActorRef Broker => Orders.Broker;

    private async Task<Mt4BrokerStatus> BrokerStatusAsync() => await Broker.Ask<Mt4BrokerStatus>(GetMt4BrokerStatus.Instance, TimeSpan.FromSeconds(5));

    /// <summary>An intent as the live pipeline hands it to the order side (one per bar, so none is a duplicate shape).</summary>
    private void Decide(int bar) =>
        _node!.Runtime.Engine!.Sink.Submit(new OrderIntent("EMAX", "EURUSD", bar % 2 == 0 ? Side.Buy : Side.Sell, 0.1m, OrderType.Market,
            DataStart.AddMinutes(bar), DataStart.AddMinutes(bar).AddSeconds(5), 1.0801, null, bar % 2 == 0 ? 1.07 : 1.09, bar % 2 == 0 ? 1.09 : 1.07, 1, "test"), null!);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 30 s: {what}");
            await Task.Delay(50);
        }
    }

    private async Task<IReadOnlyList<OrderState>> FilledOrdersAsync() =>
        (await Orders.BookAsync()).Orders.Values.Where(o => o.Status == OrderStatus.Filled).ToList();

    /// <summary>Fills the ledger holds (recovered ones too), not only those booked by this incarnation.</summary>
    private async Task<int> BookedFillsAsync() =>
        (await Orders.LedgerAsync()).State.AppliedEntryIds.Count(id => id != HueyP.Engine.Ledger.LedgerSettings.OpeningDepositId);

    private async Task TicksReachTheEngineAsync()
    {
        var bridge = _node!.Runtime.Module<BridgeModule>()!;
        await UntilAsync(async () => (await bridge.Inbound.Ask<BridgeInboundCounts>(GetBridgeInboundCounts.Instance, TimeSpan.FromSeconds(5))).Ticks > 5, "ticks from the EA reach the engine");
    }

    [Fact]
    public async Task Orders_the_engine_takes_reach_the_ea_once_its_fills_come_back_and_the_ledger_books_each_once_even_when_reports_are_replayed()
    {
        await StartNodeAsync();
        var ea = StartEa();
        await TicksReachTheEngineAsync();

        for (var bar = 0; bar < 4; bar++) Decide(bar);
        await UntilAsync(async () => (await FilledOrdersAsync()).Count == 4, "4 orders filled by the EA");
        await UntilAsync(async () => await BookedFillsAsync() == 4, "4 fills booked");

        var filled = await FilledOrdersAsync();
        foreach (var order in filled)
        {
            Assert.Equal(1, ea.Witness.ExecutionsOf(order.ClientOrderId));
            Assert.Equal(10_000m, order.FilledQuantity); // 0.1 lots on the EA
            var atEa = ea.Account.Find(order.ClientOrderId)!;
            Assert.Equal(atEa.Ticket, order.BrokerOrderId);
            Assert.Equal(order.Side == Side.Buy ? 1.0802m : 1.0800m, order.AverageFillPrice);
        }

        // The EA reports everything again (as it does on STATUS_REQUEST, with fresh message ids): nothing changes.
        var status = await BrokerStatusAsync();
        foreach (var report in ea.Account.Status(filled.Select(o => o.ClientOrderId), DateTimeOffset.UtcNow))
            Broker.Tell(new EaExecutionReported($"replayed-{Guid.NewGuid():N}", report));
        await UntilAsync(async () => (await BrokerStatusAsync()).ReportsIgnored >= status.ReportsIgnored + 8, "replayed reports seen");
        var ledger = await Orders.LedgerAsync();
        output.WriteLine($"ledger: {await BookedFillsAsync()} fills, {ledger.Duplicates} duplicates; broker: {await BrokerStatusAsync()}; EA: {ea.Witness}");
        Assert.Equal(4, await BookedFillsAsync());
        Assert.Equal(0, ea.Witness.DuplicateExecutions);
        Assert.Equal(4, ea.Witness.Executed);
        Assert.All((await BrokerStatusAsync()).Orders.Values, s => Assert.Equal("filled", s));
        Assert.Equal(0m, ledger.State.PositionOf("EURUSD").Quantity); // buy, sell, buy, sell of 0.1
    }

    [Fact]
    public async Task A_node_restarted_while_orders_are_in_flight_neither_resends_filled_orders_nor_books_a_fill_twice()
    {
        await StartNodeAsync();
        var ea = StartEa();
        await TicksReachTheEngineAsync();
        for (var bar = 0; bar < 3; bar++) Decide(bar);
        await UntilAsync(async () => (await FilledOrdersAsync()).Count == 3, "3 orders filled before the restart");
        var filledBefore = (await FilledOrdersAsync()).Select(o => o.ClientOrderId).ToList();
        // Deliveries so far (a route switch while the EA was connecting may legitimately have sent one twice).
        var deliveredBefore = filledBefore.ToDictionary(id => id, ea.Witness.DeliveriesOf);

        // Two more orders, and the node stops as soon as the MT4 broker has journaled them: in flight, wherever they are.
        Decide(3);
        Decide(4);
        await UntilAsync(async () => (await BrokerStatusAsync()).Orders.Count == 5, "5 orders journaled by the MT4 broker");
        await StopNodeAsync();

        await StartNodeAsync();
        await TicksReachTheEngineAsync();
        await UntilAsync(async () => (await FilledOrdersAsync()).Count == 5, "all 5 orders filled after the restart");
        await UntilAsync(async () => await BookedFillsAsync() == 5, "5 fills booked");

        var ledger = await Orders.LedgerAsync();
        output.WriteLine($"ledger: {await BookedFillsAsync()} fills; broker: {await BrokerStatusAsync()}; EA: {ea.Witness}");
        Assert.Equal(5, ea.Witness.Executed);
        Assert.Equal(0, ea.Witness.DuplicateExecutions);
        foreach (var id in filledBefore) Assert.Equal(deliveredBefore[id], ea.Witness.DeliveriesOf(id)); // never sent again after the restart
        Assert.Equal(5, await BookedFillsAsync());
        Assert.All((await BrokerStatusAsync()).Orders.Values, s => Assert.Equal("filled", s));
    }

    [Fact]
    public async Task A_position_the_ea_closes_at_its_stop_loss_is_flat_in_the_ledger_with_the_loss_booked_once_and_a_restart_reconciles_clean()
    {
        using var feed = new QuoteFeed();
        await StartNodeAsync();
        var ea = StartEa(feed);
        var bridge = _node!.Runtime.Module<BridgeModule>()!;
        async Task<long> TicksAsync() => (await bridge.Inbound.Ask<BridgeInboundCounts>(GetBridgeInboundCounts.Instance, TimeSpan.FromSeconds(5))).Ticks;
        for (var i = 0; i < 8; i++) feed.Next(1.0800, 1.0802);
        await UntilAsync(async () => await TicksAsync() >= 8, "the EA's quotes reach the engine");

        Decide(0); // buy 0.1 lot at the market, stop-loss 1.07, take-profit 1.09
        await UntilAsync(async () => (await FilledOrdersAsync()).Count == 1, "the order filled by the EA");
        await UntilAsync(async () => (await Orders.LedgerAsync()).State.PositionOf("EURUSD").Quantity == 10_000m, "the long booked");
        var order = Assert.Single(await FilledOrdersAsync());

        feed.Next(1.0695, 1.0697); // bid below the stop-loss: the EA sells the position at the bid
        await UntilAsync(async () => (await Orders.LedgerAsync()).State.PositionOf("EURUSD").IsFlat, "the stop close booked");
        var ledger = (await Orders.LedgerAsync()).State;
        Assert.Equal(-107m, ledger.RealizedPnl); // bought 10 000 at 1.0802, sold at 1.0695
        Assert.Contains(ea.Account.Find(order.ClientOrderId)!.Ticket + "-SL", ledger.AppliedEntryIds);
        Assert.Empty(ea.Account.Positions);
        var after = await Orders.OrderAsync(order.ClientOrderId);
        Assert.Equal(OrderStatus.Filled, after!.State.Status); // the order stays filled; its position's exit is its -SL child
        Assert.Equal(10_000m, after.State.FilledQuantity);

        // Every report of the order once more, as a STATUS_REQUEST answer brings them (new message ids): nothing is booked again.
        await UntilAsync(() => Task.FromResult(ea.UnacknowledgedReports == 0), "the bridge ACKed the EA's stop close");
        var status = await BrokerStatusAsync();
        var reports = ea.Account.Status([order.ClientOrderId], DateTimeOffset.UtcNow);
        Assert.Contains(reports, r => r.Trigger == ExecutionTrigger.StopLoss);
        foreach (var report in reports) Broker.Tell(new EaExecutionReported($"replayed-{Guid.NewGuid():N}", report));
        await UntilAsync(async () => (await BrokerStatusAsync()).ReportsIgnored >= status.ReportsIgnored + reports.Count, "replayed reports seen");
        Assert.Equal(2, await BookedFillsAsync());
        Assert.Equal(-107m, (await Orders.LedgerAsync()).State.RealizedPnl);
        Assert.Equal(status.ReportsApplied, (await BrokerStatusAsync()).ReportsApplied);

        // A restarted node reads the same from the MT4 broker's journal: start-up reconciliation finds nothing to change.
        await StopNodeAsync();
        await StartNodeAsync();
        var run = Orders.LastReconciliation;
        Assert.NotNull(run);
        output.WriteLine(run.Report.Render());
        Assert.True(run.Report.IsClean, run.Report.Render());
        ledger = (await Orders.LedgerAsync()).State;
        Assert.True(ledger.PositionOf("EURUSD").IsFlat);
        Assert.Equal(-107m, ledger.RealizedPnl);
        Assert.Equal(2, await BookedFillsAsync());
    }
}
