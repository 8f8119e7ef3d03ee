using System.Buffers.Binary;
using System.Text;
using HueyP.Bridge.Protocol;
using Xunit.Abstractions;

namespace HueyP.Bridge.Tests.Protocol;

/// <summary>
/// Seeded random frames through the exact path a session runs (FrameReader, then InboundGate).
/// Default 50k frames; set HUEYP_FUZZ_FRAMES=1000000 (and optionally HUEYP_FUZZ_SEED) for the long run.
/// </summary>
public sealed class FrameFuzzerTests(ITestOutputHelper output)
{
    internal enum Kind { Valid, Replay, Expired, Garbage, Empty, Truncated, Oversized, InvalidUtf8, InvalidJson, WrongType, UnknownType, BadVersion, BadChecksum, BadHmac, Mutation }

    private static readonly Dictionary<Kind, string[]> Expected = new()
    {
        [Kind.Valid] = ["Deliver"],
        [Kind.Replay] = ["Duplicate"],
        [Kind.Expired] = ["Expired"],
        [Kind.Garbage] = ["INVALID_UTF8", "INVALID_JSON", "SCHEMA_VIOLATION"],
        [Kind.Empty] = ["FRAME_EMPTY"],
        [Kind.Truncated] = ["FRAME_TRUNCATED"],
        [Kind.Oversized] = ["FRAME_TOO_LARGE"],
        [Kind.InvalidUtf8] = ["INVALID_UTF8"],
        [Kind.InvalidJson] = ["INVALID_JSON"],
        [Kind.WrongType] = ["SCHEMA_VIOLATION"],
        [Kind.UnknownType] = ["UNKNOWN_MESSAGE_TYPE"],
        [Kind.BadVersion] = ["UNSUPPORTED_VERSION"],
        [Kind.BadChecksum] = ["BAD_CHECKSUM"],
        [Kind.BadHmac] = ["BAD_HMAC"],
        [Kind.Mutation] = [], // anything but an unexpected exception
    };

    private static readonly string[] Symbols = ["EURUSD", "GBPJPY", "XAUUSD", "ÉUR/ÜSD", "日経225", "US30.cash"];

    [Fact]
    public void Random_bad_frames_only_ever_produce_typed_refusals_with_the_expected_reason()
    {
        var frames = int.TryParse(Environment.GetEnvironmentVariable("HUEYP_FUZZ_FRAMES"), out var n) && n > 0 ? n : 50_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HUEYP_FUZZ_SEED"), out var s) ? s : 20261122;
        var random = new Random(seed);
        var clock = Samples.Clock();
        var codec = Samples.Codec();
        var foreignCodec = Samples.Codec(Encoding.UTF8.GetBytes("not-our-key"));
        var factory = new MessageFactory("fuzz-ea", clock);
        var gate = new InboundGate(codec, clock, new DedupWindow(4096));
        var recent = new List<byte[]>();
        var byKind = new Dictionary<Kind, Dictionary<string, long>>();
        var kinds = Enum.GetValues<Kind>();
        var unexpected = new List<string>();
        long oversizedMaxAllocation = 0;

        for (var i = 0; i < frames; i++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            if (kind == Kind.Replay && recent.Count == 0) kind = Kind.Valid;
            var wire = Build(kind, random, codec, foreignCodec, factory, clock, recent);
            string outcome;
            try
            {
                InboundResult result;
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var body = FrameReader.ReadFrame(new MemoryStream(wire), CodecOptions.DefaultMaxFrameBytes);
                    result = body is null ? throw new InvalidOperationException("no frame") : gate.Accept(body);
                }
                catch (FrameException e)
                {
                    result = gate.Refuse(e);
                }
                if (kind == Kind.Oversized)
                    oversizedMaxAllocation = Math.Max(oversizedMaxAllocation, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
                // Every refusal becomes an ERROR reply or a close: there is no third way.
                if (result.IsError && result.Reason is null) unexpected.Add($"{kind}: error without a reason");
                if (result.Disposition == InboundDisposition.Close && result.Reason is { } r && !FrameErrors.ClosesConnection(r))
                    unexpected.Add($"{kind}: closes for a non-fatal reason {r}");
                outcome = result.Reason is { } reason ? FrameErrors.Code(reason) : result.Disposition.ToString();
                if (kind == Kind.Valid && result.Disposition == InboundDisposition.Deliver && result.Message!.Type != MessageType.Error)
                {
                    recent.Add(wire);
                    if (recent.Count > 256) recent.RemoveAt(0);
                }
            }
            catch (Exception e)
            {
                unexpected.Add($"{kind} frame {i}: {e.GetType().Name}: {e.Message}");
                continue;
            }
            var counts = byKind.TryGetValue(kind, out var c) ? c : byKind[kind] = new();
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
            if (Expected[kind].Length > 0 && !Expected[kind].Contains(outcome) && unexpected.Count < 20)
                unexpected.Add($"{kind} frame {i} gave {outcome}: {Encoding.UTF8.GetString(wire.AsSpan(4, Math.Min(300, Math.Max(0, wire.Length - 4))))}");
        }

        foreach (var (kind, counts) in byKind.OrderBy(k => k.Key))
            output.WriteLine($"{kind,-12} {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"))}");
        output.WriteLine($"total {frames} frames, seed {seed}; gate counts: {string.Join(", ", gate.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"))}");

        output.WriteLine($"largest allocation while refusing an oversized length: {oversizedMaxAllocation} bytes");
        if (Environment.GetEnvironmentVariable("HUEYP_CHAOS_OUT") is { Length: > 0 } path)
            File.AppendAllText(path, System.Text.Json.JsonSerializer.Serialize(new
            {
                suite = "bridge-fuzzer", seed, frames, unexpected = unexpected.Count, outcomes = gate.Counts.ToDictionary(c => c.Key, c => c.Value),
                largest_allocation_refusing_oversized = oversizedMaxAllocation,
            }) + Environment.NewLine);
        Assert.Empty(unexpected);
        Assert.InRange(oversizedMaxAllocation, 0, CodecOptions.DefaultMaxFrameBytes);
        foreach (var kind in kinds) Assert.True(byKind.ContainsKey(kind), $"no {kind} frames generated");
        Assert.Equal(frames, gate.Counts.Values.Sum());
        Assert.Equal(byKind.Values.SelectMany(c => c).Where(c => c.Key == "FRAME_TOO_LARGE").Sum(c => c.Value), gate.Counts["FRAME_TOO_LARGE"]);
        Assert.Equal(byKind[Kind.Replay].Values.Sum(), byKind.Values.Sum(c => c.GetValueOrDefault("Duplicate")) - byKind[Kind.Mutation].GetValueOrDefault("Duplicate"));
    }

    [ThreadStatic] private static MessageFactory? t_mutants;

    internal static byte[] Build(Kind kind, Random random, BridgeCodec codec, BridgeCodec foreign, MessageFactory factory, TimeProvider clock, List<byte[]> recent)
    {
        var version = random.Next(2) == 0 ? ProtocolVersion.V1_0 : ProtocolVersion.V1_2;
        switch (kind)
        {
            case Kind.Valid:
                return codec.EncodeFrame(RandomMessage(random, factory, clock, version));
            case Kind.Replay:
                return recent[random.Next(recent.Count)];
            case Kind.Expired:
                return codec.EncodeFrame(Samples.Trade(factory, "o" + random.NextInt64(), clock.GetUtcNow().AddSeconds(-random.Next(1, 3600))).WithVersion(version));
            case Kind.Garbage:
            {
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                return Frame(bytes);
            }
            case Kind.Empty:
                return Frame([]);
            case Kind.Truncated:
            {
                var full = codec.EncodeFrame(RandomMessage(random, factory, clock, version));
                return full.AsSpan(0, random.Next(1, full.Length)).ToArray();
            }
            case Kind.Oversized:
            {
                var wire = new byte[4 + random.Next(0, 64)];
                random.NextBytes(wire);
                var length = random.Next(3) switch
                {
                    0 => CodecOptions.DefaultMaxFrameBytes + 1,
                    1 => random.Next(CodecOptions.DefaultMaxFrameBytes + 1, int.MaxValue),
                    _ => -random.Next(1, int.MaxValue),
                };
                BinaryPrimitives.WriteInt32LittleEndian(wire, length);
                return wire;
            }
            case Kind.InvalidUtf8:
            {
                var text = V10Text(random, factory, clock);
                var at = text.IndexOf("EURUSD", StringComparison.Ordinal) + 3;
                byte[][] bad = [[0xFF], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]];
                var utf8 = Encoding.UTF8.GetBytes(text[..at]).Concat(bad[random.Next(bad.Length)]).Concat(Encoding.UTF8.GetBytes(text[at..])).ToArray();
                return Frame(utf8);
            }
            case Kind.InvalidJson:
            {
                var text = V10Text(random, factory, clock);
                string broken = random.Next(4) switch
                {
                    0 => text[..random.Next(1, text.Length - 1)],
                    1 => text.Replace("\"payload\":{", "\"payload\":{,", StringComparison.Ordinal),
                    2 => text.Replace("{\"message_type\":\"TICK\",", "{\"message_type\":\"TICK\",\"message_type\":\"TICK\",", StringComparison.Ordinal),
                    _ => text + "}",
                };
                return Frame(Encoding.UTF8.GetBytes(broken));
            }
            case Kind.WrongType:
            {
                var text = V10Text(random, factory, clock);
                string[][] swaps =
                [
                    ["\"bid\":", "\"bid\":\"1.1\",\"x\":"], ["\"symbol\":\"EURUSD\"", "\"symbol\":42"], ["\"source\":\"fuzz-ea\"", "\"source\":null"],
                    ["\"message_id\":\"", "\"message_id\":7,\"y\":\""], ["\"timestamp\":\"", "\"timestamp\":\"yesterday\",\"z\":\""],
                    ["\"payload\":{", "\"payload\":[],\"p\":{"], ["\"time\":\"", "\"time\":true,\"t\":\""],
                ];
                var swap = swaps[random.Next(swaps.Length)];
                var wrong = random.Next(10) == 0 ? "[" + text + "]" : text.Replace(swap[0], swap[1], StringComparison.Ordinal);
                return Frame(Encoding.UTF8.GetBytes(wrong));
            }
            case Kind.UnknownType:
                return Frame(Encoding.UTF8.GetBytes(V10Text(random, factory, clock).Replace("\"TICK\"", $"\"PING_{random.Next(1000)}\"", StringComparison.Ordinal)));
            case Kind.BadVersion:
            {
                string[] versions = ["0.9", "1.1", "2.0", "", "1.2"];
                return Frame(Encoding.UTF8.GetBytes(V10Text(random, factory, clock).Replace("\"version\":\"1.0\"", $"\"version\":\"{versions[random.Next(versions.Length)]}\"", StringComparison.Ordinal)));
            }
            case Kind.BadChecksum:
            {
                var text = Encoding.UTF8.GetString(codec.EncodeBody(Samples.Tick(factory, clock.GetUtcNow(), 1.0 + random.Next(1, 9999) / 10000.0).WithVersion(ProtocolVersion.V1_2)));
                return Frame(Encoding.UTF8.GetBytes(text.Replace("\"symbol\":\"EURUSD\"", "\"symbol\":\"EURUSX\"", StringComparison.Ordinal)));
            }
            case Kind.BadHmac:
                return foreign.EncodeFrame(RandomMessage(random, factory, clock, ProtocolVersion.V1_2));
            default:
            {
                // Mutants come from their own source: a flipped byte in a "fuzz-ea-…-N" id could otherwise name a message
                // the fuzzer sends later, which the dedup window would then rightly call a duplicate.
                var mutants = t_mutants ??= new MessageFactory("fuzz-mutant", clock);
                var wire = codec.EncodeFrame(RandomMessage(random, mutants, clock, version));
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                    wire[random.Next(wire.Length)] = (byte)random.Next(256);
                return wire;
            }
        }
    }

    private static string V10Text(Random random, MessageFactory factory, TimeProvider clock) =>
        Encoding.UTF8.GetString(Samples.Codec().EncodeBody(Samples.Tick(factory, clock.GetUtcNow(), 1.0 + random.Next(1, 9999) / 10000.0)));

    private static BridgeMessage RandomMessage(Random random, MessageFactory factory, TimeProvider clock, ProtocolVersion version)
    {
        var now = clock.GetUtcNow();
        var symbol = Symbols[random.Next(Symbols.Length)];
        BridgeMessage message = random.Next(6) switch
        {
            0 => factory.Create(MessageType.Tick, new TickPayload(symbol, 1.1, 1.1002, now) { Volume = random.Next(100) }),
            1 => factory.Create(MessageType.Trade, new OrderPayload("o" + random.NextInt64(), symbol, OrderSide.Sell, 0.01 * random.Next(1, 100), now.AddMinutes(1)) { OrderType = "LIMIT", Price = 1.2 }),
            2 => factory.Create(MessageType.Signal, new OrderPayload("s" + random.Next(), symbol, OrderSide.Buy, 1, now.AddMinutes(1)) { Strategy = "ema \"cross\"\n" }),
            3 => factory.Ack(factory.Heartbeat(), AckStatus.Accepted),
            4 => factory.Create(MessageType.Param, new ParamPayload("risk", Payloads.ToElement(random.NextDouble()))),
            // ERROR frames are not de-duplicated (link chatter), so they never go to the replay pool.
            _ => factory.Error("RATE_LIMITED", "slow down " + symbol),
        };
        return message.WithVersion(version).WithSequence(random.Next(1, 1000));
    }

    private static byte[] Frame(byte[] body)
    {
        var wire = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(wire, body.Length);
        body.CopyTo(wire, 4);
        return wire;
    }
}
