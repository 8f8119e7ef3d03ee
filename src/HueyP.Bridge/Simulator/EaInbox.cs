using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Simulator;

/// <summary>
/// What the EA does with each inbound result, whatever transport it came on: execute new orders once,
/// re-ACK duplicates, refuse stale orders (ACK EXPIRED, recorded), echo test requests. Returns the reply, if any.
/// </summary>
internal sealed class EaInbox(OrderWitness witness, MessageFactory factory, Action<string> note)
{
    public BridgeMessage? Handle(InboundResult result)
    {
        var message = result.Message;
        switch (result.Disposition)
        {
            case InboundDisposition.Reject or InboundDisposition.Close:
                // Every frame we cannot act on is answered, so the bridge can tell a damaging link from a quiet one.
                var code = FrameErrors.Code(result.Reason!.Value);
                note($"refused a frame: {code} {result.Detail}");
                witness.Refused();
                return factory.Error(code, result.Detail, message?.MessageId);
            case InboundDisposition.Duplicate:
                if (!WireNames.IsOrder(message!.Type)) return null;
                witness.DuplicateDelivery();
                return factory.Ack(message, AckStatus.Duplicate);
            case InboundDisposition.Expired:
                witness.Expire(message!.OrderKey, result.Detail);
                return factory.Ack(message, AckStatus.Expired, result.Detail);
        }
        switch (message!.Type)
        {
            case MessageType.Signal or MessageType.Trade:
                witness.Execute(message.OrderKey);
                return factory.Ack(message, AckStatus.Accepted);
            case MessageType.Heartbeat when Payloads.Read<HeartbeatPayload>(message.Payload).TestRequest is { } nonce:
                return factory.Heartbeat(testResponse: nonce);
            case MessageType.Error:
                note($"bridge reported ERROR {message.Payload.GetRawText()}");
                return null;
            default:
                return null;
        }
    }
}
