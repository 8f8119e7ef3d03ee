using System.Text;
using System.Text.Json;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Tests.Protocol;

public sealed class CodecTests
{
    private readonly MessageFactory _factory = new("engine", Samples.Clock());

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal("cbf43926", Crc32.ToHex(Crc32.Compute("123456789"u8)));
    }

    [Theory]
    [InlineData(ProtocolVersion.V1_0)]
    [InlineData(ProtocolVersion.V1_2)]
    public void A_trade_round_trips_through_both_envelopes(ProtocolVersion version)
    {
        var codec = Samples.Codec();
        var expires = new DateTimeOffset(2026, 11, 22, 4, 1, 0, TimeSpan.Zero);
        var sent = Samples.Trade(_factory, "ord-1", expires).WithVersion(version).WithSequence(7);

        var frame = codec.EncodeFrame(sent);
        var body = FrameReader.ReadFrame(new MemoryStream(frame), CodecOptions.DefaultMaxFrameBytes)!;
        var received = codec.Decode(body);

        Assert.Equal(version, received.Version);
        Assert.Equal(MessageType.Trade, received.Type);
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(7, received.Sequence);
        Assert.Equal("ord-1", received.OrderKey);
        Assert.Equal(expires, received.ExpiresAt);
        var payload = Payloads.Read<OrderPayload>(received.Payload);
        Assert.Equal(OrderSide.Buy, payload.Side);
        Assert.Equal("MARKET", payload.OrderType);
    }

    [Fact]
    public void A_v12_envelope_still_verifies_after_whitespace_and_member_order_change_in_transit()
    {
        var codec = Samples.Codec();
        var sent = Samples.Tick(_factory, _factory.Create(MessageType.Heartbeat, new HeartbeatPayload()).Timestamp).WithVersion(ProtocolVersion.V1_2);
        using var original = JsonDocument.Parse(codec.EncodeBody(sent));
        // Re-emit with every object's members reversed and indented: a different byte string, same canonical form.
        var reordered = Encoding.UTF8.GetBytes(Reverse(original.RootElement));

        var received = codec.Decode(reordered);

        Assert.Equal(sent.MessageId, received.MessageId);
    }

    private static string Reverse(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{\n  " + string.Join(",\n  ", e.EnumerateObject().Reverse().Select(p => JsonSerializer.Serialize(p.Name) + " : " + Reverse(p.Value))) + "\n}",
        JsonValueKind.Array => "[" + string.Join(", ", e.EnumerateArray().Select(Reverse)) + "]",
        _ => e.GetRawText(),
    };

    [Fact]
    public void A_v12_frame_signed_with_another_key_is_refused_as_bad_hmac()
    {
        var frame = Samples.Codec(Encoding.UTF8.GetBytes("someone-else")).EncodeBody(
            Samples.Tick(_factory, DateTimeOffset.UnixEpoch.AddYears(56)).WithVersion(ProtocolVersion.V1_2));

        var error = Assert.Throws<FrameException>(() => Samples.Codec().Decode(frame));

        Assert.Equal(FrameErrorReason.BadHmac, error.Reason);
    }

    [Fact]
    public void A_v12_frame_whose_payload_changed_in_transit_is_refused_as_bad_checksum()
    {
        var body = Encoding.UTF8.GetString(Samples.Codec().EncodeBody(
            Samples.Trade(_factory, "ord-9", DateTimeOffset.UnixEpoch.AddYears(60)).WithVersion(ProtocolVersion.V1_2)));

        var tampered = Encoding.UTF8.GetBytes(body.Replace("\"volume\":0.1", "\"volume\":9.1", StringComparison.Ordinal));
        var error = Assert.Throws<FrameException>(() => Samples.Codec().Decode(tampered));

        Assert.Equal(FrameErrorReason.BadChecksum, error.Reason);
    }

    [Fact]
    public void A_new_order_without_expiry_is_a_schema_violation()
    {
        var json = """{"message_type":"TRADE","message_id":"m1","timestamp":"2026-11-22T04:00:00.000Z","source":"engine","version":"1.0","payload":{"order_id":"o1","symbol":"EURUSD","side":"BUY","volume":0.1,"order_type":"MARKET"}}""";

        var error = Assert.Throws<FrameException>(() => Samples.Codec().Decode(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(FrameErrorReason.SchemaViolation, error.Reason);
        Assert.Contains("expires_at", error.Detail);
    }

    [Fact]
    public void An_oversized_length_is_refused_without_allocating_the_claimed_size()
    {
        var frame = new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3 }; // claims 2 GB
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<FrameException>(() => FrameReader.ReadFrame(new MemoryStream(frame), CodecOptions.DefaultMaxFrameBytes));

        Assert.Equal(FrameErrorReason.TooLarge, error.Reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < CodecOptions.DefaultMaxFrameBytes);
    }

    [Fact]
    public void Negotiation_picks_the_highest_common_version()
    {
        Assert.Equal(ProtocolVersion.V1_2, VersionNegotiation.Choose(["1.2", "1.0"], supportsV12: true));
        Assert.Equal(ProtocolVersion.V1_0, VersionNegotiation.Choose(["1.2", "1.0"], supportsV12: false));
        Assert.Equal(ProtocolVersion.V1_0, VersionNegotiation.Choose(["1.0"], supportsV12: true));
        Assert.Null(VersionNegotiation.Choose(["2.0"], supportsV12: true));
    }

    [Fact]
    public void After_negotiating_v12_a_v10_frame_is_refused_so_the_signature_cannot_be_stripped()
    {
        var clock = Samples.Clock();
        var gate = new InboundGate(Samples.Codec(), clock) { RequiredVersion = ProtocolVersion.V1_2 };
        var factory = new MessageFactory("ea", clock);

        var result = gate.Accept(Samples.Codec().EncodeBody(Samples.Tick(factory, clock.GetUtcNow())));

        Assert.Equal(InboundDisposition.Reject, result.Disposition);
        Assert.Equal(FrameErrorReason.VersionMismatch, result.Reason);
    }
}
