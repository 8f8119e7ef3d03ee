using System.Diagnostics;
using System.Net;
using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Pipe;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Socket;
using HueyP.Bridge.Transports.Spool;
using HueyP.Domain.Market;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Simulator;

/// <summary>
/// The chaos suite's socket part, on real loopback transports with the EA simulator: in every round the socket is
/// closed, stalled silently or made to corrupt frames (seeded choice) while orders flow; sometimes the pipe is closed
/// too, so traffic lands on the spool. Traffic must leave the socket, repair must bring it back after verification,
/// and the EA's witness must show every order executed exactly once.
/// CI runs 6 rounds; HUEYP_CHAOS_ROUNDS=100 (and HUEYP_CHAOS_SEED) for the long run (scripts/chaos.sh).
/// </summary>
public sealed class SocketChaosTests : TestKit
{
    private readonly string _spool = Directory.CreateTempSubdirectory("hueyp-chaos-spool-").FullName;
    private readonly string _pipe = $"/tmp/hueyp-chaos-{Guid.NewGuid():N}.sock";
    private readonly TestProbe _events;
    private readonly ITestOutputHelper _output;

    public SocketChaosTests(ITestOutputHelper output) : base(output: output, virtualTime: false)
    {
        _output = output;
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(RouteChanged));
        Sys.EventStream.Subscribe(_events.Ref, typeof(TransportListening));
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_spool, recursive: true);
        if (File.Exists(_pipe)) File.Delete(_pipe);
    }

    [Fact]
    public async Task Socket_closed_stalled_or_corrupting_fails_over_repairs_and_the_witness_shows_no_loss_and_no_duplicates()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("HUEYP_CHAOS_ROUNDS"), out var r) && r > 0 ? r : 6;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HUEYP_CHAOS_SEED"), out var s) ? s : 20261122;
        var random = new Random(seed);
        var options = new BridgeOptions
        {
            Socket = new SocketTransportSettings { Port = 0 },
            Pipe = new PipeTransportSettings(_pipe),
            Spool = new SpoolTransportSettings(_spool) { PollInterval = TimeSpan.FromMilliseconds(50) },
            HmacKey = Samples.Key, // v1.2: CRC32 and HMAC make every damaged frame detectable
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            RateLimitPerSecond = 2000,
            RateLimitBurst = 4000,
        };
        var tuning = new RouterSettings([], options.Outbox)
        {
            MinBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromMilliseconds(400),
            RetransmitAfter = TimeSpan.FromSeconds(1),
            VerifyInterval = TimeSpan.FromMilliseconds(50),
        };
        var router = Sys.ActorOf(BridgeSetup.RouterProps(options, null, tuning), "bridge");
        var socket = IPEndPoint.Parse(_events.FishForMessage<TransportListening>(l => l.Kind == TransportKind.Socket).Endpoint);
        await using var ea = new EaSimulator(new EaSimulatorOptions
        {
            Socket = socket, Pipe = _pipe, SpoolDirectory = _spool, HmacKey = Samples.Key,
            Quotes = Ticks(), TickInterval = TimeSpan.FromMilliseconds(10), RetryDelay = TimeSpan.FromMilliseconds(50),
        });
        var engine = new MessageFactory("engine", TimeProvider.System);
        var sent = 0;
        void SendOrders(int count)
        {
            for (var i = 0; i < count; i++)
                router.Tell(new RouteMessage(Samples.Trade(engine, $"chaos-{sent++:D5}", DateTimeOffset.UtcNow.AddMinutes(10))));
        }

        ea.Start();
        try
        {
            await RunRoundsAsync();
        }
        catch
        {
            foreach (var note in ea.Notes.Where(n => !n.Contains("refused a frame")).TakeLast(40)) _output.WriteLine(note);
            throw;
        }

        async Task RunRoundsAsync()
        {
        _events.FishForMessage<RouteChanged>(c => c.To == TransportKind.Socket, TimeSpan.FromSeconds(15));
        var failovers = new List<double>();
        var spoolRounds = 0;
        var faults = new Dictionary<TransportFault, int>();
        for (var round = 0; round < rounds; round++)
        {
            var fault = (TransportFault)random.Next(3);
            var alsoPipe = random.Next(4) == 0;
            faults[fault] = faults.GetValueOrDefault(fault) + 1;
            SendOrders(10);
            var injected = Stopwatch.StartNew();
            var accepted = await router.Ask<FailTransportResult>(new FailTransport(TransportKind.Socket, fault, $"chaos round {round}"), TimeSpan.FromSeconds(5));
            Assert.True(accepted.Accepted, accepted.Detail);
            SendOrders(10);
            var left = _events.FishForMessage<RouteChanged>(c => c.From == TransportKind.Socket, TimeSpan.FromSeconds(15));
            failovers.Add(injected.Elapsed.TotalMilliseconds);
            Assert.NotNull(left.To); // pipe or spool: never "no route" while a fallback is up
            if (alsoPipe)
            {
                await router.Ask<FailTransportResult>(new FailTransport(TransportKind.Pipe, TransportFault.Close, $"chaos round {round}: pipe too"), TimeSpan.FromSeconds(5));
                // The route may already be on the spool (the pipe was still reconnecting), or about to move there.
                var onSpool = await WaitForRouteAsync(router, TransportKind.Spool, TimeSpan.FromSeconds(5));
                if (onSpool) spoolRounds++;
                SendOrders(5);
            }
            SendOrders(10);
            var back = _events.FishForMessage<RouteChanged>(c => c.To == TransportKind.Socket, TimeSpan.FromSeconds(30));
            Assert.Contains("verified", back.Reason);
            _output.WriteLine($"round {round}: {fault}{(alsoPipe ? " + pipe closed" : "")}: left the socket after {failovers[^1]:0} ms ({left.Reason}); back after {injected.ElapsedMilliseconds} ms");
        }
        SendOrders(10);

        try
        {
            await ea.Witness.WaitForAsync(w => w.Executed == sent, TimeSpan.FromSeconds(60));
        }
        finally
        {
            _output.WriteLine($"seed {seed}, {rounds} rounds ({string.Join(", ", faults.Select(f => $"{f.Key} {f.Value}"))}, spool {spoolRounds}); sent {sent}; {ea.Witness}");
        }
        Assert.Equal(0, ea.Witness.DuplicateExecutions);
        Assert.All(Enumerable.Range(0, sent), i => Assert.Equal(1, ea.Witness.ExecutionsOf($"chaos-{i:D5}")));
        Assert.Empty(ea.Witness.Expired);
        var status = await router.Ask<RouterStatus>(GetRouterStatus.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal(TransportKind.Socket, status.Current);
        if (spoolRounds > 0) Assert.True(status.Transports.Single(t => t.Kind == TransportKind.Spool).Sent > 0, "orders went through the spool");
        if (faults.ContainsKey(TransportFault.Corrupt)) Assert.True(ea.Witness.RefusedFrames > 0, "the EA refused damaged frames");
        AwaitCondition(() => router.Ask<RouterStatus>(GetRouterStatus.Instance).Result.PendingOutbox == 0, TimeSpan.FromSeconds(15));
        failovers.Sort();
        var counts = System.Text.Json.JsonSerializer.Serialize(new
        {
            suite = "bridge-socket", seed, rounds, faults = faults.ToDictionary(f => f.Key.ToString(), f => f.Value), spool_rounds = spoolRounds,
            orders_sent = sent, executed = ea.Witness.Executed, duplicate_executions = ea.Witness.DuplicateExecutions,
            duplicate_deliveries = ea.Witness.DuplicateDeliveries, refused_frames = ea.Witness.RefusedFrames,
            left_socket_ms_p50 = failovers[failovers.Count / 2], left_socket_ms_max = failovers[^1],
        });
        if (Environment.GetEnvironmentVariable("HUEYP_CHAOS_OUT") is { Length: > 0 } path) File.AppendAllText(path, counts + Environment.NewLine);
        }
    }

    private static async Task<bool> WaitForRouteAsync(IActorRef router, TransportKind kind, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if ((await router.Ask<RouterStatus>(GetRouterStatus.Instance, TimeSpan.FromSeconds(5))).Current == kind) return true;
            await Task.Delay(5);
        }
        return false;
    }

    private static IEnumerable<Quote> Ticks()
    {
        var at = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);
        for (var i = 0; ; i++) yield return new Quote("EURUSD", at.AddMilliseconds(i * 100), 1.08 + (i % 100) * 1e-5, 1.0802 + (i % 100) * 1e-5);
    }
}
