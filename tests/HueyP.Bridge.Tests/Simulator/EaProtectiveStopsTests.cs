using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Socket;
using HueyP.Domain.Market;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Simulator;

/// <summary>
/// The EA simulator executing on its own (pending orders reached, stops crossed) and reporting it through the bridge.
/// Real loopback sockets; every quote is handed over by the test and each step waits for its outcome (no sleeps).
/// </summary>
public sealed class EaProtectiveStopsTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TestProbe _events;
    private readonly TestProbe _inbound;
    private readonly ITestOutputHelper _output;

    public EaProtectiveStopsTests(ITestOutputHelper output) : base(output: output, virtualTime: false)
    {
        _output = output;
        _events = CreateTestProbe("events");
        _inbound = CreateTestProbe("inbound");
        Sys.EventStream.Subscribe(_events.Ref, typeof(RouteChanged));
        Sys.EventStream.Subscribe(_events.Ref, typeof(TransportListening));
    }

    /// <summary>Quotes the test releases one at a time: the EA's terminal streams them as they come.</summary>
    private sealed class QuoteFeed : IDisposable
    {
        private readonly BlockingCollection<Quote> _quotes = new();
        private int _second;

        public IEnumerable<Quote> Stream => _quotes.GetConsumingEnumerable();

        public void Next(double bid, double ask) =>
            _quotes.Add(new Quote("EURUSD", new DateTime(2026, 11, 22, 9, 30, 0, DateTimeKind.Utc).AddSeconds(_second++), bid, ask));

        /// <summary>Ends the stream, so the EA's tick writer returns and the simulator can stop.</summary>
        public void Dispose() => _quotes.CompleteAdding();
    }

    private InboundMessage NextTick(double bid) => _inbound.FishForMessage<InboundMessage>(m =>
        m.Message.Type == MessageType.Tick && Payloads.Read<TickPayload>(m.Message.Payload).Bid == bid, Patience);

    private ExecutionReportPayload NextReport(string orderId, Func<ExecutionReportPayload, bool> which)
    {
        var message = _inbound.FishForMessage<InboundMessage>(m =>
            m.Message.Type == MessageType.ExecutionReport && Payloads.Read<ExecutionReportPayload>(m.Message.Payload) is { } r && r.OrderId == orderId && which(r), Patience);
        return Payloads.Read<ExecutionReportPayload>(message.Message.Payload);
    }

    [Fact]
    public async Task Pending_fills_and_stop_closes_made_by_the_ea_on_its_own_reach_the_engine_as_execution_reports()
    {
        var options = new BridgeOptions { Socket = new SocketTransportSettings { Port = 0 }, HmacKey = Samples.Key };
        var router = Sys.ActorOf(BridgeSetup.RouterProps(options, _inbound.Ref), "bridge");
        var socket = IPEndPoint.Parse(_events.FishForMessage<TransportListening>(l => l.Kind == TransportKind.Socket).Endpoint);
        var feed = new QuoteFeed();
        var ea = new EaSimulator(new EaSimulatorOptions { Socket = socket, HmacKey = Samples.Key, Quotes = feed.Stream, TickInterval = TimeSpan.Zero });
        try
        {
            ea.Start();
            _events.FishForMessage<RouteChanged>(c => c.To == TransportKind.Socket, Patience);
            feed.Next(1.0850, 1.0852);
            NextTick(1.0850); // the EA has its price before any order arrives

            var engine = new MessageFactory("hueyp", TimeProvider.System);
            var expires = DateTimeOffset.UtcNow.AddMinutes(5);
            router.Tell(new RouteMessage(engine.Create(MessageType.Trade,
                new OrderPayload("mkt-1", "EURUSD", OrderSide.Buy, 0.1, expires) { OrderType = "MARKET", StopLoss = 1.0820, TakeProfit = 1.0900 })), null);
            router.Tell(new RouteMessage(engine.Create(MessageType.Trade,
                new OrderPayload("lmt-1", "EURUSD", OrderSide.Buy, 0.2, expires) { OrderType = "LIMIT", Price = 1.0830 })), null);
            Assert.Equal(1.0852, NextReport("mkt-1", r => r.Status == ExecutionStatus.Filled).Price);
            Assert.Equal(ExecutionStatus.Accepted, NextReport("lmt-1", _ => true).Status);

            feed.Next(1.0827, 1.0829); // reaches the buy limit (ask ≤ 1.0830), not the market order's stop (bid > 1.0820)
            var limitFill = NextReport("lmt-1", r => r.Status == ExecutionStatus.Filled);
            Assert.Equal(1.0829, limitFill.Price);
            Assert.Equal(0.2, limitFill.Quantity);
            Assert.Null(limitFill.Trigger);

            feed.Next(1.0815, 1.0817); // crosses the market order's stop-loss: sold at the bid
            var stopped = NextReport("mkt-1", r => r.Trigger is not null);
            Assert.Equal(ExecutionTrigger.StopLoss, stopped.Trigger);
            Assert.Equal("SELL", stopped.Side);
            Assert.Equal(1.0815, stopped.Price);
            Assert.Equal(0.1, stopped.Quantity);

            AwaitCondition(() => ea.UnacknowledgedReports == 0, Patience); // the bridge ACKed both of the EA's own reports
            var open = Assert.Single(ea.Account.Positions);
            Assert.Equal("lmt-1", open.OrderId);
        }
        finally
        {
            feed.Dispose();
            await ea.DisposeAsync();
            foreach (var note in ea.Notes) _output.WriteLine(note);
        }
    }

    [Fact]
    public async Task A_stop_close_the_bridge_never_acknowledged_is_sent_again_with_the_same_id_on_the_next_connection()
    {
        // A bare listener playing a bridge that reads but never ACKs, then drops the connection.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var codec = Samples.Codec();
        var bridge = new MessageFactory("hueyp", TimeProvider.System);
        var feed = new QuoteFeed();
        var ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = (IPEndPoint)listener.LocalEndpoint, HmacKey = Samples.Key, Quotes = feed.Stream, TickInterval = TimeSpan.Zero,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        });
        try
        {
            ea.Start();
            string reportId;
            using (var first = await AcceptNegotiatedAsync(listener, codec, bridge))
            {
                feed.Next(1.0850, 1.0852);
                await ReadUntilAsync(first, codec, MessageType.Tick);
                first.Write(codec.EncodeFrame(bridge.Create(MessageType.Trade,
                    new OrderPayload("mkt-2", "EURUSD", OrderSide.Sell, 0.1, DateTimeOffset.UtcNow.AddMinutes(5)) { OrderType = "MARKET", TakeProfit = 1.0840 })
                    .WithVersion(ProtocolVersion.V1_2).WithSequence(2)));
                await ReadUntilAsync(first, codec, MessageType.ExecutionReport, m => Payloads.Read<ExecutionReportPayload>(m.Payload).Status == ExecutionStatus.Filled);
                feed.Next(1.0837, 1.0839); // a short's take-profit: bought back at the ask
                var report = await ReadUntilAsync(first, codec, MessageType.ExecutionReport, m => Payloads.Read<ExecutionReportPayload>(m.Payload).Trigger is not null);
                reportId = report.MessageId;
                Assert.Equal(1, ea.UnacknowledgedReports);
            }

            // The dead connection's tick writer is waiting for the next quote, and a write to a socket the peer just
            // closed may still succeed once: quotes keep coming until the EA has noticed and reconnected (they trigger
            // nothing: the only position is closed).
            var accepting = AcceptNegotiatedAsync(listener, codec, bridge);
            while (!accepting.IsCompleted)
            {
                feed.Next(1.0836, 1.0838);
                await Task.WhenAny(accepting, Task.Delay(50));
            }
            using var second = await accepting;
            var again = await ReadUntilAsync(second, codec, MessageType.ExecutionReport);
            Assert.Equal(reportId, again.MessageId);
            Assert.Equal(ExecutionTrigger.TakeProfit, Payloads.Read<ExecutionReportPayload>(again.Payload).Trigger);

            second.Write(codec.EncodeFrame(bridge.Ack(again, AckStatus.Accepted).WithVersion(ProtocolVersion.V1_2).WithSequence(2)));
            AwaitCondition(() => ea.UnacknowledgedReports == 0, Patience);
        }
        finally
        {
            feed.Dispose();
            await ea.DisposeAsync();
            listener.Stop();
            foreach (var note in ea.Notes) _output.WriteLine(note);
        }
    }

    private static async Task<NetworkStream> AcceptNegotiatedAsync(TcpListener listener, BridgeCodec codec, MessageFactory bridge)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var client = await listener.AcceptSocketAsync(timeout.Token);
        var stream = new NetworkStream(client, ownsSocket: true);
        await ReadUntilAsync(stream, codec, MessageType.StatusRequest);
        stream.Write(codec.EncodeFrame(bridge.Create(MessageType.StatusResponse,
            new StatusResponsePayload(StatusResponseStatus.Ok) { NegotiatedVersion = "1.2" }).WithSequence(1)));
        return stream;
    }

    private static async Task<BridgeMessage> ReadUntilAsync(Stream stream, BridgeCodec codec, MessageType type, Func<BridgeMessage, bool>? which = null)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var body = await FrameReader.ReadFrameAsync(stream, CodecOptions.DefaultMaxFrameBytes, timeout.Token) ?? throw new IOException($"closed while waiting for {type}");
            var message = codec.Decode(body);
            if (message.Type == type && (which is null || which(message))) return message;
        }
    }
}
