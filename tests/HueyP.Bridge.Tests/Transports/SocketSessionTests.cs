using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Session;
using HueyP.Bridge.Transports.Socket;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Transports;

/// <summary>The socket transport with a hand-driven client; the router is the TestActor; time is virtual.</summary>
public sealed class SocketSessionTests(ITestOutputHelper output) : TestKit(output: output)
{
    private readonly MessageFactory _ea = new("ea", Samples.Clock());

    private string StartTransport(byte[]? key = null)
    {
        var listening = CreateTestProbe();
        Sys.EventStream.Subscribe(listening.Ref, typeof(TransportListening));
        var settings = new SessionSettings(TransportKind.Socket, TestActor, Samples.Codec(key), new DedupWindow(1000));
        Sys.ActorOf(SocketTransportActor.Props(new SocketTransportSettings(), settings), "socket");
        return listening.ExpectMsg<TransportListening>().Endpoint;
    }

    private async Task<RawClient> ConnectNegotiatedAsync(string endpoint) => (await ConnectLinkAsync(endpoint)).Client;

    private async Task<(RawClient Client, IActorRef Link)> ConnectLinkAsync(string endpoint)
    {
        var client = await RawClient.ConnectAsync(endpoint, Samples.Codec());
        client.Send(_ea.Create(MessageType.StatusRequest, new StatusRequestPayload { SupportedVersions = ["1.2", "1.0"] }));
        var response = await client.ReadTypeAsync(MessageType.StatusResponse);
        Assert.Equal("1.2", Payloads.Read<StatusResponsePayload>(response.Payload).NegotiatedVersion);
        var up = ExpectMsg<LinkUp>(up => up.Version == ProtocolVersion.V1_2);
        _ea.Version = ProtocolVersion.V1_2;
        return (client, up.Link);
    }

    [Fact]
    public async Task A_link_that_goes_silent_under_an_order_is_closed_within_two_answer_timeouts_not_after_heartbeats()
    {
        var (client, link) = await ConnectLinkAsync(StartTransport());
        using var _ = client;
        var engine = new MessageFactory("engine", Samples.Clock());

        link.Tell(new SendToPeer(Samples.Trade(engine, "stalled-1", Samples.Clock().GetUtcNow().AddMinutes(1))));
        await client.ReadTypeAsync(MessageType.Trade); // it arrives, and the EA says nothing: no ACK, no tick
        Advance(TimeSpan.FromMilliseconds(299));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Advance(TimeSpan.FromMilliseconds(1));
        var testRequest = await client.ReadTypeAsync(MessageType.Heartbeat); // the default 300 ms: are you there?
        Assert.NotNull(Payloads.Read<HeartbeatPayload>(testRequest.Payload).TestRequest);
        Advance(TimeSpan.FromMilliseconds(300));

        var down = ExpectMsg<LinkDown>();
        Assert.Contains("after an unacknowledged TRADE", down.Reason);
    }

    [Fact]
    public async Task An_order_answered_in_time_keeps_the_link_and_sends_no_test_request()
    {
        var (client, link) = await ConnectLinkAsync(StartTransport());
        using var _ = client;
        var engine = new MessageFactory("engine", Samples.Clock());

        var trade = Samples.Trade(engine, "answered-1", Samples.Clock().GetUtcNow().AddMinutes(1));
        link.Tell(new SendToPeer(trade));
        var received = await client.ReadTypeAsync(MessageType.Trade);
        Advance(TimeSpan.FromMilliseconds(200));
        client.Send(_ea.Ack(received, AckStatus.Accepted));
        ExpectMsg<PeerMessage>(m => m.Message.Type == MessageType.Ack);
        Advance(TimeSpan.FromSeconds(1));

        ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // no LinkDown
        link.Tell(new SendToPeer(_ea.Create(MessageType.StatusRequest, new StatusRequestPayload())));
        Assert.Equal(MessageType.StatusRequest, (await client.ReadAsync())!.Type); // the next frame is not a test request
    }

    [Fact]
    public async Task A_peer_that_keeps_the_socket_open_but_stops_answering_is_closed_after_an_unanswered_test_request()
    {
        using var client = await ConnectNegotiatedAsync(StartTransport());

        Advance(TimeSpan.FromSeconds(30));
        var plain = await client.ReadTypeAsync(MessageType.Heartbeat); // we were silent, so the bridge beats
        Assert.Null(Payloads.Read<HeartbeatPayload>(plain.Payload).TestRequest);
        Advance(TimeSpan.FromSeconds(30));
        var testRequest = await client.ReadTypeAsync(MessageType.Heartbeat); // 60 s of inbound silence: prove you are there
        Assert.NotNull(Payloads.Read<HeartbeatPayload>(testRequest.Payload).TestRequest);
        Assert.Equal(ProtocolVersion.V1_2, testRequest.Version);
        Advance(TimeSpan.FromSeconds(30));

        var down = ExpectMsg<LinkDown>();
        Assert.Contains("test request", down.Reason);
        Assert.Null(await client.ReadAsync());
    }

    [Fact]
    public async Task A_peer_that_echoes_the_nonce_stays_connected_and_its_latency_is_reported()
    {
        using var client = await ConnectNegotiatedAsync(StartTransport());

        Advance(TimeSpan.FromSeconds(30));
        await client.ReadTypeAsync(MessageType.Heartbeat);
        // To exactly 1.2 intervals of silence and no further: the clock stands still until the test request is read,
        // so it is stamped with this time however late the session handles its check.
        Advance(TimeSpan.FromSeconds(6));
        var nonce = Payloads.Read<HeartbeatPayload>((await client.ReadTypeAsync(MessageType.Heartbeat)).Payload).TestRequest!;
        Advance(TimeSpan.FromMilliseconds(40));
        client.Send(_ea.Heartbeat(testResponse: nonce));
        ExpectMsg<LinkLatency>(l => l.RoundTrip == TimeSpan.FromMilliseconds(40));
        Advance(TimeSpan.FromSeconds(30));

        // The exchange counts as traffic: the next beat is a plain heartbeat, not a second test request, and no close.
        var next = await client.ReadTypeAsync(MessageType.Heartbeat);
        Assert.Null(Payloads.Read<HeartbeatPayload>(next.Payload).TestRequest);
        ExpectNoMsg();
    }

    [Fact]
    public async Task Inbound_floods_beyond_the_burst_are_answered_with_rate_limited_errors()
    {
        using var client = await RawClient.ConnectAsync(StartTransport(), Samples.Codec());
        var now = Samples.Clock().GetUtcNow();
        var frames = Enumerable.Range(0, 450).SelectMany(_ => Samples.Codec().EncodeFrame(Samples.Tick(_ea, now))).ToArray();

        client.SendRaw(frames); // a legacy v1.0 EA: the first tick brings the link up
        var errors = 0;
        while (errors < 50)
        {
            var message = await client.ReadAsync() ?? throw new IOException("closed");
            if (message.Type == MessageType.Error && Payloads.Read<ErrorPayload>(message.Payload).Code == "RATE_LIMITED") errors++;
        }

        ExpectMsg<LinkUp>(up => up.Version == ProtocolVersion.V1_0);
        var peerMessages = ReceiveN(450).Count(m => m is PeerMessage);
        Assert.Equal(400, peerMessages);
    }

    [Fact]
    public async Task Garbage_gets_an_error_reply_and_an_oversized_length_gets_an_error_and_a_close()
    {
        using var client = await ConnectNegotiatedAsync(StartTransport());

        client.SendRaw([5, 0, 0, 0, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o']);
        var error = await client.ReadTypeAsync(MessageType.Error);
        Assert.Equal("INVALID_JSON", Payloads.Read<ErrorPayload>(error.Payload).Code);
        ExpectMsg<LinkRefused>(r => r.Code == "INVALID_JSON");

        client.SendRaw([0xFF, 0xFF, 0xFF, 0x7F]);
        error = await client.ReadTypeAsync(MessageType.Error);
        Assert.Equal("FRAME_TOO_LARGE", Payloads.Read<ErrorPayload>(error.Payload).Code);
        ExpectMsg<LinkRefused>(r => r.Code == "FRAME_TOO_LARGE");
        Assert.Contains("FRAME_TOO_LARGE", ExpectMsg<LinkDown>().Reason);
        Assert.Null(await client.ReadAsync());
    }

    [Fact]
    public async Task A_replayed_order_is_acted_on_once_and_acknowledged_twice()
    {
        using var client = await ConnectNegotiatedAsync(StartTransport());
        var signal = _ea.Create(MessageType.Signal, new OrderPayload("s1", "EURUSD", OrderSide.Sell, 1, Sys.Scheduler.Now.AddMinutes(1)));

        client.Send(signal);
        client.Send(signal);

        var first = Payloads.Read<AckPayload>((await client.ReadTypeAsync(MessageType.Ack)).Payload);
        var second = Payloads.Read<AckPayload>((await client.ReadTypeAsync(MessageType.Ack)).Payload);
        Assert.Equal((signal.MessageId, AckStatus.Accepted), (first.RefMessageId, first.Status));
        Assert.Equal((signal.MessageId, AckStatus.Duplicate), (second.RefMessageId, second.Status));
        ExpectMsg<PeerMessage>(p => p.Message.MessageId == signal.MessageId);
        ExpectNoMsg();
    }
}
