using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Simulator;

/// <summary>
/// What the EA does with each inbound result, whatever transport it came on: execute new orders once on its paper
/// account (ACK, then EXECUTION_REPORTs), re-ACK duplicates, refuse stale orders (ACK EXPIRED, recorded), echo test
/// requests, answer a STATUS_REQUEST naming orders with their reports again, forget reports of its own the bridge ACKed.
/// Returns the replies, in order.
/// </summary>
internal sealed class EaInbox(OrderWitness witness, EaAccount account, EaReportOutbox reports, MessageFactory factory, TimeProvider time, Action<string> note)
{
    public IReadOnlyList<BridgeMessage> Handle(InboundResult result)
    {
        var message = result.Message;
        switch (result.Disposition)
        {
            case InboundDisposition.Reject or InboundDisposition.Close:
                // Every frame we cannot act on is answered, so the bridge can tell a damaging link from a quiet one.
                var code = FrameErrors.Code(result.Reason!.Value);
                note($"refused a frame: {code} {result.Detail}");
                witness.Refused();
                return [factory.Error(code, result.Detail, message?.MessageId)];
            case InboundDisposition.Duplicate:
                if (!WireNames.IsOrder(message!.Type)) return [];
                witness.DuplicateDelivery(message.OrderKey, message.MessageId);
                return [factory.Ack(message, AckStatus.Duplicate)];
            case InboundDisposition.Expired:
                witness.Expire(message!.OrderKey, message.MessageId, result.Detail);
                return [factory.Ack(message, AckStatus.Expired, result.Detail)];
        }
        switch (message!.Type)
        {
            case MessageType.Signal or MessageType.Trade:
                witness.Execute(message.OrderKey, message.MessageId);
                var executed = account.Execute(message, time.GetUtcNow());
                return [factory.Ack(message, AckStatus.Accepted), .. executed.Select(Report)];
            case MessageType.StatusRequest when Payloads.Read<StatusRequestPayload>(message.Payload).OrderIds is { Count: > 0 } ids:
                return [.. account.Status(ids, time.GetUtcNow()).Select(Report)];
            case MessageType.Heartbeat when Payloads.Read<HeartbeatPayload>(message.Payload).TestRequest is { } nonce:
                return [factory.Heartbeat(testResponse: nonce)];
            case MessageType.Ack:
                reports.Acknowledge(Payloads.Read<AckPayload>(message.Payload).RefMessageId);
                return [];
            case MessageType.Error:
                note($"bridge reported ERROR {message.Payload.GetRawText()}");
                return [];
            default:
                return [];
        }
    }

    /// <summary>Every report is a new message (fresh id): a report sent again on request must not be taken for a replay.</summary>
    private BridgeMessage Report(ExecutionReportPayload report) => factory.Create(MessageType.ExecutionReport, report);

    /// <summary>
    /// A quote reached pending orders or stops: the executions as reports, held until the bridge ACKs them (nobody
    /// asks for these, so a report lost with its link must be sent again).
    /// </summary>
    public IReadOnlyList<BridgeMessage> OnQuote(string symbol, double bid, double ask)
    {
        var executed = account.OnQuote(symbol, bid, ask, time.GetUtcNow());
        if (executed.Count == 0) return [];
        var messages = executed.Select(Report).ToArray();
        foreach (var message in messages) reports.Add(message);
        foreach (var report in executed)
            note($"{report.Trigger ?? "pending order"} executed {report.OrderId} at {report.Price} ({report.Reason ?? "price reached"})");
        return messages;
    }
}
