using System.Net;
using HueyP.Actors;
using HueyP.Actors.TestKit;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Simulator;
using HueyP.Bridge.Transports;
using HueyP.Bridge.Transports.Router;
using HueyP.Bridge.Transports.Socket;
using HueyP.Cluster.Tests.Processes;
using Xunit.Abstractions;

namespace HueyP.Cluster.Tests.Witness;

/// <summary>
/// The witness the failover test trusts, end to end: a bridge sends TRADEs to the EA simulator, which writes its witness
/// file, which <see cref="EaWitness"/> reads. The EA keys orders by client order id, not message id: a second message
/// carrying an order id already executed (what a new active resubmitting an order would send) is a duplicate execution,
/// while the same message delivered again (the outbox resending after a failover) is a redelivery, not a duplicate.
/// </summary>
public sealed class EaWitnessFileTests : TestKit
{
    private static readonly byte[] Key = "ea-witness-test-key"u8.ToArray();
    private readonly TestProbe _events;
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"hueyp-ea-witness-{Guid.NewGuid():N}.jsonl");

    public EaWitnessFileTests(ITestOutputHelper output) : base(output: output, virtualTime: false)
    {
        _events = CreateTestProbe("events");
        Sys.EventStream.Subscribe(_events.Ref, typeof(TransportListening));
    }

    private static BridgeMessage Trade(string messageId, string orderId) => new MessageFactory("hueyp", TimeProvider.System).Create(MessageType.Trade,
        new OrderPayload(orderId, "EURUSD", OrderSide.Buy, 0.1, DateTimeOffset.UtcNow.AddMinutes(5)) { OrderType = "MARKET" }, messageId);

    [Fact]
    public async Task A_second_message_with_an_executed_client_order_id_is_a_duplicate_and_a_redelivered_message_is_not()
    {
        var inbound = CreateTestProbe("inbound");
        var router = Sys.ActorOf(BridgeSetup.RouterProps(
            new BridgeOptions { Socket = new SocketTransportSettings { Port = 0 }, HmacKey = Key }, inbound.Ref), "bridge");
        var socket = IPEndPoint.Parse(_events.FishForMessage<TransportListening>(l => l.Kind == TransportKind.Socket).Endpoint);
        await using var ea = new EaSimulator(new EaSimulatorOptions { Socket = socket, HmacKey = Key, WitnessFile = _file });
        ea.Account.OnQuote("EURUSD", 1.105, 1.10502, DateTimeOffset.UtcNow);
        ea.Start();
        var witness = new EaWitness(_file) { ArrivalTimeout = TimeSpan.FromSeconds(30) };

        void SendAndAwaitAck(BridgeMessage message, string status)
        {
            router.Tell(new RouteMessage(message));
            inbound.FishForMessage<InboundMessage>(m => m.Message.Type == MessageType.Ack
                && Payloads.Read<AckPayload>(m.Message.Payload) is { } ack && ack.RefMessageId == message.MessageId && ack.Status == status, TimeSpan.FromSeconds(30));
        }

        SendAndAwaitAck(Trade("hp-order-1", "order-1"), AckStatus.Accepted);
        SendAndAwaitAck(Trade("hp-order-2", "order-2"), AckStatus.Accepted);
        SendAndAwaitAck(Trade("hp-order-1", "order-1"), AckStatus.Duplicate); // the same message again: redelivered
        var (duplicates, missing) = await witness.CheckAsync(new HashSet<string> { "order-1", "order-2" });
        Assert.Empty(duplicates);
        Assert.Empty(missing);
        Assert.Equal(1, witness.DuplicateDeliveries);

        SendAndAwaitAck(Trade("resubmitted-order-2", "order-2"), AckStatus.Accepted); // another message, same client order id
        (duplicates, missing) = await witness.CheckAsync(new HashSet<string> { "order-1", "order-2", "order-3" });
        Assert.Equal(["order-2"], duplicates);
        Assert.Equal(["order-3 (never seen by the EA)"], missing);
        Assert.Equal(2, ea.Witness.ExecutionsOf("order-2"));
        Assert.Equal(0, witness.UnreadableLines);
    }

    public override void Dispose()
    {
        base.Dispose();
        File.Delete(_file);
    }
}
