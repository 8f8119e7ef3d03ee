using System.Text;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Tests;

/// <summary>Messages and codecs shared by the tests.</summary>
internal static class Samples
{
    public static readonly byte[] Key = Encoding.UTF8.GetBytes("hueyp-test-shared-key");

    public static BridgeCodec Codec(byte[]? key = null) => new(new CodecOptions { HmacKey = key ?? Key });

    public static TestScheduler Clock() => new(new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero));

    public static BridgeMessage Trade(MessageFactory factory, string orderId, DateTimeOffset expiresAt, double volume = 0.1) =>
        factory.Create(MessageType.Trade, new OrderPayload(orderId, "EURUSD", OrderSide.Buy, volume, expiresAt) { OrderType = "MARKET" });

    public static BridgeMessage Tick(MessageFactory factory, DateTimeOffset at, double bid = 1.0850) =>
        factory.Create(MessageType.Tick, new TickPayload("EURUSD", bid, bid + 0.0002, at));
}
