using System.Net;
using System.Net.Sockets;
using System.Text;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Session;
using HueyP.Bridge.Transports.Socket;
using Kind = HueyP.Bridge.Tests.Protocol.FrameFuzzerTests.Kind;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Protocol;

/// <summary>
/// The fuzzer's bad frames through a live socket session instead of the bare gate: every one must be answered with an
/// ERROR naming the reason, or (when the stream is out of step) with an ERROR and a closed connection; each is counted
/// by the router; and the bridge still takes a valid order afterwards. Seeded; HUEYP_FUZZ_SOCKET_FRAMES for more.
/// </summary>
public sealed class SocketFuzzerTests : TestKit
{
    private readonly ITestOutputHelper _output;

    public SocketFuzzerTests(ITestOutputHelper output) : base(output: output) => _output = output;

    private static readonly Kind[] Bad =
    [
        Kind.Garbage, Kind.Empty, Kind.InvalidUtf8, Kind.InvalidJson, Kind.WrongType, Kind.UnknownType, Kind.BadVersion,
        Kind.BadChecksum, Kind.BadHmac, Kind.Truncated, Kind.Oversized,
    ];

    [Fact]
    public async Task Every_bad_frame_on_a_live_socket_gets_an_error_reply_or_a_closed_connection_and_is_counted()
    {
        var frames = int.TryParse(Environment.GetEnvironmentVariable("HUEYP_FUZZ_SOCKET_FRAMES"), out var n) && n > 0 ? n : 1500;
        var random = new Random(int.TryParse(Environment.GetEnvironmentVariable("HUEYP_FUZZ_SEED"), out var s) ? s : 7);
        var router = CreateTestProbe("router");
        var listening = CreateTestProbe("listening");
        Sys.EventStream.Subscribe(listening.Ref, typeof(TransportListening));
        var codec = Samples.Codec();
        var settings = new SessionSettings(TransportKind.Socket, router.Ref, codec, new DedupWindow(100_000)) { RateLimitPerSecond = 1e9, RateLimitBurst = 1e9 };
        Sys.ActorOf(SocketTransportActor.Props(new SocketTransportSettings(), settings), "socket");
        var endpoint = IPEndPoint.Parse(listening.ExpectMsg<TransportListening>().Endpoint);
        var clock = Samples.Clock();
        var factory = new MessageFactory("fuzz-ea", clock);
        var foreign = Samples.Codec(Encoding.UTF8.GetBytes("not-our-key"));
        var replies = new Dictionary<string, int>();
        var (errors, closes, connections) = (0, 0, 1);
        var client = await ConnectAsync(endpoint);

        for (var i = 0; i < frames; i++)
        {
            var kind = Bad[random.Next(Bad.Length)];
            var wire = FrameFuzzerTests.Build(kind, random, codec, foreign, factory, clock, []);
            await client.WriteAsync(wire);
            if (kind == Kind.Truncated) client.Socket.Shutdown(SocketShutdown.Send); // the stream ends inside the frame
            var error = await ReadAsync(client, codec) ?? throw new Xunit.Sdk.XunitException($"frame {i} ({kind}): closed without an ERROR");
            Assert.Equal(MessageType.Error, error.Type);
            var code = Payloads.Read<ErrorPayload>(error.Payload).Code;
            replies[code] = replies.GetValueOrDefault(code) + 1;
            errors++;
            if (kind is Kind.Truncated or Kind.Oversized)
            {
                Assert.Null(await ReadAsync(client, codec)); // out of step: the bridge closes after the ERROR
                closes++;
                client.Dispose();
                client = await ConnectAsync(endpoint);
                connections++;
            }
        }

        var refused = 0;
        for (; refused < frames; refused++) router.FishForMessage<LinkRefused>(timeout: TimeSpan.FromSeconds(10));
        router.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // and not one more than were sent (links up/down aside)
        _output.WriteLine($"{frames} bad frames over {connections} connections: {errors} ERROR replies, {closes} closes; router counted {refused}; {string.Join(", ", replies.OrderBy(r => r.Key).Select(r => $"{r.Key}={r.Value}"))}");
        Assert.Equal(frames, errors);
        Assert.Equal(frames, refused);
        Assert.DoesNotContain("INTERNAL", replies.Keys);

        // Still a working bridge: a valid order is acknowledged.
        var trade = Samples.Trade(factory, "after-the-storm", clock.GetUtcNow().AddMinutes(1));
        await client.WriteAsync(codec.EncodeFrame(trade));
        var ack = await ReadAsync(client, codec);
        Assert.Equal(MessageType.Ack, ack!.Type);
        Assert.Equal(AckStatus.Accepted, Payloads.Read<AckPayload>(ack.Payload).Status);
        client.Dispose();
    }

    private static async Task<NetworkStream> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static async Task<BridgeMessage?> ReadAsync(NetworkStream stream, BridgeCodec codec)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var body = await FrameReader.ReadFrameAsync(stream, CodecOptions.DefaultMaxFrameBytes, timeout.Token);
            return body is null ? null : codec.Decode(body);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
