using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using HueyP.Actors;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Pipe;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Socket;
using HueyP.Bridge.Transports.Spool;

namespace HueyP.Benchmarks;

/// <summary>
/// `scripts/bench.sh bridge`: the MT4 bridge on loopback. frames/s = inbound TICK frames through framing, decode, the
/// inbound gate (dedup included) and the router to the engine's inbox, per transport; round trip = an order from the
/// router to the EA simulator and its ACK back to the inbox, one at a time; failover gap = from an induced socket
/// failure to the ACK of an order sent at that instant (traffic on the pipe), repeated. Targets: socket ≥ 100k frames/s,
/// round trip p99 ≤ 1 ms, failover gap p99 ≤ 250 ms. `--only frames,round-trip,failover` runs a subset;
/// `round_trip_interleaved_ms` alternates socket and pipe trips in one run, so both see the same machine load.
/// </summary>
public static class BridgeBenchmarks
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("bench-shared-key");

    public static async Task<JsonObject> RunAsync(string[] args)
    {
        var frames = (int)Option(args, "--frames", 200_000);
        var trips = (int)Option(args, "--round-trips", 2000);
        var failures = (int)Option(args, "--failovers", 30);
        var only = Text(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Part(string name) => only is null || only.Contains(name, StringComparer.OrdinalIgnoreCase);
        var root = Directory.CreateTempSubdirectory("hueyp-bench-bridge-").FullName;
        try
        {
            Progress("warm-up until the JIT has settled, not reported");
            await StreamThroughputAsync(TransportKind.Socket, ProtocolVersion.V1_0, Math.Min(frames, 30_000), root);
            foreach (var kind in new[] { TransportKind.Socket, TransportKind.Pipe })
            {
                await using var rig = await RoundTripRig.StartAsync(kind, root);
                await JitWarmup.UntilSettledAsync(TimeSpan.FromSeconds(3), async () =>
                {
                    for (var i = 0; i < 100; i++) await rig.TripAsync();
                });
            }
            var result = new JsonObject { ["benchmark"] = "bridge" };
            if (Part("frames"))
            {
                result["frames_per_s"] = new JsonObject
                {
                    ["gate_only_v1_0"] = GateCeiling(ProtocolVersion.V1_0, frames),
                    ["gate_only_v1_2"] = GateCeiling(ProtocolVersion.V1_2, frames),
                    ["socket_v1_0"] = await StreamThroughputAsync(TransportKind.Socket, ProtocolVersion.V1_0, frames, root),
                    ["socket_v1_2"] = await StreamThroughputAsync(TransportKind.Socket, ProtocolVersion.V1_2, frames, root),
                    ["pipe_v1_0"] = await StreamThroughputAsync(TransportKind.Pipe, ProtocolVersion.V1_0, frames, root),
                    ["spool"] = await SpoolThroughputAsync(Math.Min(frames, 5000), root),
                };
            }
            if (Part("round-trip"))
            {
                result["round_trip_ms"] = new JsonObject
                {
                    ["socket"] = await RoundTripAsync(TransportKind.Socket, trips, root),
                    ["pipe"] = await RoundTripAsync(TransportKind.Pipe, trips, root),
                    ["spool"] = await RoundTripAsync(TransportKind.Spool, Math.Min(trips, 300), root),
                };
                result["round_trip_interleaved_ms"] = await InterleavedRoundTripAsync(trips, root);
            }
            if (Part("failover"))
            {
                result["failover_gap_ms"] = new JsonObject
                {
                    ["close"] = await FailoverAsync(TransportFault.Close, failures, root),
                    ["stall"] = await FailoverAsync(TransportFault.Stall, Math.Max(5, failures / 3), root),
                };
            }
            result["notes"] = "frames: TICKs from a raw client, counted when they reach the engine's inbox; round trip: in-memory outbox, one order at a time; "
                + "interleaved: socket and pipe trips alternate in one run (same load for both); stall gaps include detection by the unanswered test request (heartbeat-interval 100ms)";
            return result;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Counts what reaches the engine's side and completes waiters on a count or on an ACK of a given id.</summary>
    private sealed class Inbox : ReceiveActor
    {
        public static long Count;
        public static volatile TaskCompletionSource? Target;
        public static long TargetCount;
        public static readonly ConcurrentDictionary<string, TaskCompletionSource> Acks = new();

        public Inbox()
        {
            Receive<InboundMessage>(m =>
            {
                var n = Interlocked.Increment(ref Count);
                if (n == Interlocked.Read(ref TargetCount)) Target?.TrySetResult();
                if (m.Message.Type == MessageType.Ack && Acks.TryRemove(Payloads.Read<AckPayload>(m.Message.Payload).RefMessageId, out var done)) done.TrySetResult();
            });
        }
    }

    private static (ActorSystem System, IActorRef Router, TaskCompletionSource<string> Listening) StartBridge(BridgeOptions options, RouterSettings? tuning = null)
    {
        var wanted = options.Socket is not null ? TransportKind.Socket : TransportKind.Pipe;
        var system = ActorSystem.Create("bench-bridge", ActorSystemSettings.Default);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = system.ActorOf(Props.Create(() => new ListeningWatcher(listening, wanted)), "listening");
        system.EventStream.Subscribe(listener, typeof(TransportListening));
        var inbox = system.ActorOf(Props.Create(() => new Inbox()), "inbox");
        var router = system.ActorOf(BridgeSetup.RouterProps(options, inbox, tuning), "bridge");
        return (system, router, listening);
    }

    private sealed class ListeningWatcher : ReceiveActor
    {
        public ListeningWatcher(TaskCompletionSource<string> listening, TransportKind wanted) =>
            Receive<TransportListening>(l => { if (l.Kind == wanted) listening.TrySetResult(l.Endpoint); });
    }

    private static async Task<JsonObject> StreamThroughputAsync(TransportKind kind, ProtocolVersion version, int frames, string root)
    {
        Progress($"{kind} {WireNames.Name(version)}: {frames} TICK frames");
        var pipePath = Path.Combine(root, $"tp-{Guid.NewGuid():N}.sock");
        var options = new BridgeOptions
        {
            Socket = kind == TransportKind.Socket ? new SocketTransportSettings { Port = 0 } : null,
            Pipe = kind == TransportKind.Pipe ? new PipeTransportSettings(pipePath) : null,
            HmacKey = Key,
            RateLimitPerSecond = 1e9,
            RateLimitBurst = 1e9,
            DedupCapacity = frames + 10,
        };
        var (system, _, listening) = StartBridge(options);
        try
        {
            var endpoint = await listening.Task;
            var codec = new BridgeCodec(new CodecOptions { HmacKey = Key });
            var factory = new MessageFactory("bench-ea", TimeProvider.System, version);
            var now = DateTimeOffset.UtcNow;
            using var stream = await ConnectAsync(kind, endpoint);
            // Negotiate so the session requires our envelope, then stream.
            stream.Write(codec.EncodeFrame(new MessageFactory("bench-ea", TimeProvider.System).Create(MessageType.StatusRequest,
                new StatusRequestPayload { SupportedVersions = [WireNames.Name(version)] })));
            await FrameReader.ReadFrameAsync(stream, CodecOptions.DefaultMaxFrameBytes, CancellationToken.None);
            var batch = new MemoryStream();
            var wire = new List<byte[]>();
            for (var i = 0; i < frames; i++)
            {
                batch.Write(codec.EncodeFrame(factory.Create(MessageType.Tick, new TickPayload("EURUSD", 1.08 + (i % 1000) * 1e-5, 1.0802, now)).WithSequence(i + 1)));
                if (batch.Length > 256 * 1024 || i == frames - 1)
                {
                    wire.Add(batch.ToArray());
                    batch.SetLength(0);
                }
            }
            _ = Task.Run(async () =>
            {
                // Drain whatever the bridge says (heartbeats), so its writes never block.
                try { while (await FrameReader.ReadFrameAsync(stream, CodecOptions.DefaultMaxFrameBytes, CancellationToken.None) is not null) { } }
                catch (Exception) { }
            });
            Interlocked.Exchange(ref Inbox.Count, 0);
            Interlocked.Exchange(ref Inbox.TargetCount, frames);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Inbox.Target = done;
            var watch = Stopwatch.StartNew();
            foreach (var chunk in wire) await stream.WriteAsync(chunk);
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var seconds = watch.Elapsed.TotalSeconds;
            return new JsonObject { ["frames"] = frames, ["seconds"] = Math.Round(seconds, 3), ["frames_per_s"] = Math.Round(frames / seconds) };
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The same decode, integrity and dedup work on one thread with no I/O or actors: the ceiling for one connection.</summary>
    private static JsonObject GateCeiling(ProtocolVersion version, int frames)
    {
        Progress($"gate only {WireNames.Name(version)}: {frames} frame bodies on one thread");
        var codec = new BridgeCodec(new CodecOptions { HmacKey = Key });
        var factory = new MessageFactory("bench-ea", TimeProvider.System, version);
        var now = DateTimeOffset.UtcNow;
        var bodies = Enumerable.Range(0, frames)
            .Select(i => codec.EncodeBody(factory.Create(MessageType.Tick, new TickPayload("EURUSD", 1.08 + (i % 1000) * 1e-5, 1.0802, now)).WithSequence(i + 1)))
            .ToArray();
        var gate = new InboundGate(codec, TimeProvider.System, new DedupWindow(frames + 10));
        var watch = Stopwatch.StartNew();
        var delivered = 0;
        foreach (var body in bodies)
            if (gate.Accept(body).Disposition == InboundDisposition.Deliver) delivered++;
        var seconds = watch.Elapsed.TotalSeconds;
        return new JsonObject { ["frames"] = delivered, ["seconds"] = Math.Round(seconds, 3), ["frames_per_s"] = Math.Round(delivered / seconds) };
    }

    private static async Task<Stream> ConnectAsync(TransportKind kind, string endpoint)
    {
        if (kind == TransportKind.Socket)
        {
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await tcp.ConnectAsync(IPEndPoint.Parse(endpoint));
            return new NetworkStream(tcp, ownsSocket: true);
        }
        var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await unix.ConnectAsync(new UnixDomainSocketEndPoint(endpoint));
        return new NetworkStream(unix, ownsSocket: true);
    }

    private static async Task<JsonObject> SpoolThroughputAsync(int files, string root)
    {
        Progress($"spool: {files} TICK files");
        var spool = new SpoolTransportSettings(Path.Combine(root, "spool-tp")) { PollInterval = TimeSpan.FromMilliseconds(10) };
        var (system, _, _) = StartBridge(new BridgeOptions { Socket = null, Spool = spool, RateLimitPerSecond = 1e9, RateLimitBurst = 1e9, DedupCapacity = files + 10 });
        try
        {
            var factory = new MessageFactory("bench-ea", TimeProvider.System);
            Directory.CreateDirectory(spool.FromEa);
            var now = DateTimeOffset.UtcNow;
            Interlocked.Exchange(ref Inbox.Count, 0);
            Interlocked.Exchange(ref Inbox.TargetCount, files);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Inbox.Target = done;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < files; i++)
            {
                var tick = factory.Create(MessageType.Tick, new TickPayload("EURUSD", 1.08, 1.0802, now)).WithSequence(i + 1);
                SpoolCsv.WriteAtomically(spool.FromEa, SpoolCsv.FileName(tick, now), SpoolCsv.Format(tick));
            }
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var seconds = watch.Elapsed.TotalSeconds;
            return new JsonObject { ["frames"] = files, ["seconds"] = Math.Round(seconds, 3), ["frames_per_s"] = Math.Round(files / seconds), ["note"] = "one fsynced file per message" };
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<JsonObject> RoundTripAsync(TransportKind kind, int trips, string root)
    {
        Progress($"{kind}: {trips} order round trips");
        await using var rig = await RoundTripRig.StartAsync(kind, root);
        var samples = new List<double>(trips);
        var warmup = Math.Min(200, trips / 5);
        GcActivity? gc = null;
        var spanningGc = 0;
        for (var i = 0; i < trips + warmup; i++)
        {
            if (i == warmup) gc = GcActivity.Start();
            var collections = GC.CollectionCount(0);
            var elapsed = await rig.TripAsync();
            if (i < warmup) continue;
            samples.Add(elapsed);
            if (GC.CollectionCount(0) != collections) spanningGc++;
        }
        var result = Percentiles(samples);
        if (gc is not null)
        {
            var activity = gc.Stop(trips);
            // p99 is the 1 % worst trip: once more than 1 % of trips wait for a collection, the GC sets the p99.
            activity["trips_during_a_gc"] = spanningGc;
            result["gc"] = activity;
        }
        return result;
    }

    /// <summary>
    /// Socket and pipe round trips taken alternately (one bridge and one EA each, both running), so both see the same
    /// machine load and the same process history: a difference between them here belongs to the transport path.
    /// </summary>
    private static async Task<JsonObject> InterleavedRoundTripAsync(int trips, string root)
    {
        Progress($"socket and pipe alternately: {trips} order round trips each");
        await using var socket = await RoundTripRig.StartAsync(TransportKind.Socket, root);
        await using var pipe = await RoundTripRig.StartAsync(TransportKind.Pipe, root);
        var socketSamples = new List<double>(trips);
        var pipeSamples = new List<double>(trips);
        var warmup = Math.Min(200, trips / 5);
        GcActivity? gc = null;
        for (var i = 0; i < trips + warmup; i++)
        {
            // Alternate which goes first, so neither always follows the other's leftover work.
            var (first, second) = i % 2 == 0 ? (socket, pipe) : (pipe, socket);
            var a = await first.TripAsync();
            var b = await second.TripAsync();
            if (i < warmup) continue;
            gc ??= GcActivity.Start();
            (i % 2 == 0 ? socketSamples : pipeSamples).Add(a);
            (i % 2 == 0 ? pipeSamples : socketSamples).Add(b);
        }
        return new JsonObject { ["socket"] = Percentiles(socketSamples), ["pipe"] = Percentiles(pipeSamples), ["gc"] = gc?.Stop(2 * trips) };
    }

    /// <summary>A bridge with one transport and an EA simulator connected to it; one order at a time.</summary>
    private sealed class RoundTripRig : IAsyncDisposable
    {
        private readonly ActorSystem _system;
        private readonly IActorRef _router;
        private readonly EaSimulator _ea;
        private readonly MessageFactory _factory = new("bench-engine", TimeProvider.System);
        private int _trips;

        private RoundTripRig(ActorSystem system, IActorRef router, EaSimulator ea)
        {
            _system = system;
            _router = router;
            _ea = ea;
        }

        public static async Task<RoundTripRig> StartAsync(TransportKind kind, string root)
        {
            var pipePath = Path.Combine(root, $"rt-{Guid.NewGuid():N}.sock");
            var spool = new SpoolTransportSettings(Path.Combine(root, $"spool-rt-{Guid.NewGuid():N}")) { PollInterval = TimeSpan.FromMilliseconds(1) };
            var options = new BridgeOptions
            {
                Socket = kind == TransportKind.Socket ? new SocketTransportSettings { Port = 0 } : null,
                Pipe = kind == TransportKind.Pipe ? new PipeTransportSettings(pipePath) : null,
                Spool = kind == TransportKind.Spool ? spool : null,
                HmacKey = Key,
                RateLimitPerSecond = 1e9,
                RateLimitBurst = 1e9,
            };
            var (system, router, listening) = StartBridge(options);
            var endpoint = kind == TransportKind.Spool ? null : await listening.Task;
            var ea = new EaSimulator(new EaSimulatorOptions
            {
                Socket = kind == TransportKind.Socket ? IPEndPoint.Parse(endpoint!) : null,
                Pipe = kind == TransportKind.Pipe ? endpoint : null,
                SpoolDirectory = kind == TransportKind.Spool ? spool.Directory : null,
                HmacKey = Key,
                RetryDelay = TimeSpan.FromMilliseconds(1),
            });
            ea.Start();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (kind != TransportKind.Spool && ea.CurrentTransport is null && DateTime.UtcNow < deadline) await Task.Delay(10);
            return new RoundTripRig(system, router, ea);
        }

        /// <summary>One order from the router to the EA and its ACK back to the inbox, in milliseconds.</summary>
        public async Task<double> TripAsync()
        {
            var id = $"rt-{_system.GetHashCode():x}-{_trips++}";
            var order = _factory.Create(MessageType.Trade, new OrderPayload(id, "EURUSD", OrderSide.Buy, 0.1, DateTimeOffset.UtcNow.AddMinutes(1)) { OrderType = "MARKET" });
            var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Inbox.Acks[order.MessageId] = acked;
            var start = Stopwatch.GetTimestamp();
            _router.Tell(new RouteMessage(order), ActorRefs.NoSender);
            await acked.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        public async ValueTask DisposeAsync()
        {
            await _ea.DisposeAsync();
            await _system.Terminate();
        }
    }

    private static async Task<JsonObject> FailoverAsync(TransportFault fault, int count, string root)
    {
        Progress($"failover gap, socket {fault.ToString().ToLowerInvariant()}: {count} induced failures");
        var pipePath = Path.Combine(root, $"fo-{Guid.NewGuid():N}.sock");
        var spool = new SpoolTransportSettings(Path.Combine(root, $"spool-fo-{Guid.NewGuid():N}")) { PollInterval = TimeSpan.FromMilliseconds(10) };
        var options = new BridgeOptions
        {
            Socket = new SocketTransportSettings { Port = 0 },
            Pipe = new PipeTransportSettings(pipePath),
            Spool = spool,
            HmacKey = Key,
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            RateLimitPerSecond = 1e9,
            RateLimitBurst = 1e9,
        };
        var tuning = new RouterSettings([], options.Outbox)
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
            VerifyInterval = TimeSpan.FromMilliseconds(20),
            RetransmitAfter = TimeSpan.FromSeconds(2),
        };
        var (system, router, listening) = StartBridge(options, tuning);
        try
        {
            var endpoint = await listening.Task;
            await using var ea = new EaSimulator(new EaSimulatorOptions
            {
                Socket = IPEndPoint.Parse(endpoint), Pipe = pipePath, SpoolDirectory = spool.Directory, HmacKey = Key, RetryDelay = TimeSpan.FromMilliseconds(10),
            });
            ea.Start();
            var factory = new MessageFactory("bench-engine", TimeProvider.System);
            var gaps = new List<double>(count);
            for (var i = 0; i < count; i++)
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (DateTime.UtcNow < deadline)
                {
                    var status = await router.Ask<RouterStatus>(GetRouterStatus.Instance, TimeSpan.FromSeconds(5));
                    if (status.Current == TransportKind.Socket && status.Transports.Single(t => t.Kind == TransportKind.Pipe).Verified) break;
                    await Task.Delay(10);
                }
                var order = factory.Create(MessageType.Trade, new OrderPayload($"fo-{fault}-{i}", "EURUSD", OrderSide.Buy, 0.1, DateTimeOffset.UtcNow.AddMinutes(1)) { OrderType = "MARKET" });
                var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Inbox.Acks[order.MessageId] = acked;
                var start = Stopwatch.GetTimestamp();
                await router.Ask<FailTransportResult>(new FailTransport(TransportKind.Socket, fault, "bench"), TimeSpan.FromSeconds(5));
                router.Tell(new RouteMessage(order), ActorRefs.NoSender);
                await acked.Task.WaitAsync(TimeSpan.FromSeconds(30));
                gaps.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            var result = Percentiles(gaps);
            result["duplicate_executions"] = ea.Witness.DuplicateExecutions;
            return result;
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Collections and pause time while a phase ran: a tail that is really a GC shows up here.</summary>
    private sealed class GcActivity
    {
        private readonly int _gen0 = GC.CollectionCount(0);
        private readonly int _gen1 = GC.CollectionCount(1);
        private readonly int _gen2 = GC.CollectionCount(2);
        private readonly TimeSpan _paused = GC.GetTotalPauseDuration();
        private readonly long _allocated = GC.GetTotalAllocatedBytes(precise: true);

        public static GcActivity Start() => new();

        public JsonObject Stop(int trips) => new()
        {
            ["allocated_kb_per_trip"] = Math.Round((GC.GetTotalAllocatedBytes(precise: true) - _allocated) / 1024.0 / trips, 1),
            ["gen0"] = GC.CollectionCount(0) - _gen0,
            ["gen1"] = GC.CollectionCount(1) - _gen1,
            ["gen2"] = GC.CollectionCount(2) - _gen2,
            ["pause_ms"] = Math.Round((GC.GetTotalPauseDuration() - _paused).TotalMilliseconds, 3),
        };
    }

    private static JsonObject Percentiles(List<double> samples)
    {
        samples.Sort();
        double At(double p) => samples.Count == 0 ? double.NaN : samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
        return new JsonObject
        {
            ["n"] = samples.Count,
            ["p50"] = Math.Round(At(0.50), 3),
            ["p99"] = Math.Round(At(0.99), 3),
            ["max"] = Math.Round(samples.Count == 0 ? double.NaN : samples[^1], 3),
        };
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[bridge] {message}");
}
