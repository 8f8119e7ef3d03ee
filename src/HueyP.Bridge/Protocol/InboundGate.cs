namespace HueyP.Bridge.Protocol;

public enum InboundDisposition
{
    /// <summary>New and valid: act on it.</summary>
    Deliver,
    /// <summary>Already acted on (replayed id): do not act again; re-ACK so the sender stops retrying.</summary>
    Duplicate,
    /// <summary>A new-order message past its expires_at: dropped with a recorded reason, ACKed as EXPIRED.</summary>
    Expired,
    /// <summary>Refused: answer with an ERROR frame, keep the connection.</summary>
    Reject,
    /// <summary>Refused and the stream is out of step: answer with an ERROR frame if possible, then close.</summary>
    Close,
    /// <summary>Valid, but not for this node now (a standby): not acted on and not remembered, so it may come again.</summary>
    Deferred,
}

public sealed record InboundResult(InboundDisposition Disposition, BridgeMessage? Message, FrameErrorReason? Reason, string Detail)
{
    public bool IsError => Disposition is InboundDisposition.Reject or InboundDisposition.Close;
}

/// <summary>
/// Everything an inbound frame body passes before anyone acts on it, in order: rate limit, decode and
/// integrity, negotiated version, sequence check, de-duplication, expiry. Synchronous and allocation-bounded,
/// so the fuzzer drives exactly what a live session runs. One gate per connection (the dedup window is shared).
/// </summary>
public sealed class InboundGate(BridgeCodec codec, TimeProvider time, DedupWindow? dedup = null, TokenBucket? limiter = null)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Once negotiated, frames in the other envelope are refused (no silent downgrade from signed 1.2 to 1.0).</summary>
    public ProtocolVersion? RequiredVersion { get; set; }

    public SequenceNumbers Sequence { get; } = new();

    /// <summary>Message types this node does not act on right now (checked before de-duplication, which they do not enter).</summary>
    public Func<MessageType, bool>? Defer { get; set; }

    /// <summary>Outcomes so far, keyed by disposition ("Deliver", "Duplicate", "Expired") or by error code.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    public InboundResult Accept(ReadOnlyMemory<byte> body)
    {
        if (limiter is not null && !limiter.TryTake())
            return Refuse(new FrameException(FrameErrorReason.RateLimited,
                $"more than {limiter.RatePerSecond}/s (burst {limiter.Burst}); frame discarded unread"));
        BridgeMessage message;
        try
        {
            message = codec.Decode(body);
        }
        catch (FrameException e)
        {
            return Refuse(e);
        }
        if (RequiredVersion is { } required && message.Version != required)
            return Refuse(new FrameException(FrameErrorReason.VersionMismatch,
                $"negotiated {WireNames.Name(required)} but received a {WireNames.Name(message.Version)} frame"), message);
        Sequence.Observe(message.Sequence);
        if (Defer is { } defer && defer(message.Type))
            return Count(new InboundResult(InboundDisposition.Deferred, message, null, $"{WireNames.Name(message.Type)} is not acted on by this node now"));
        if (IsDeduplicated(message.Type) && dedup is not null && !dedup.TryRegister(message.MessageId))
            return Count(new InboundResult(InboundDisposition.Duplicate, message, null, $"{message.MessageId} was already processed"));
        if (message.IsStale(time.GetUtcNow()))
            return Count(new InboundResult(InboundDisposition.Expired, message, null,
                $"expired at {Timestamps.Format(message.ExpiresAt!.Value)}, received {Timestamps.Format(time.GetUtcNow())}"));
        return Count(new InboundResult(InboundDisposition.Deliver, message, null, ""));
    }

    /// <summary>For errors found before a body exists (framing: truncated, oversized).</summary>
    public InboundResult Refuse(FrameException e, BridgeMessage? message = null) =>
        Count(new InboundResult(FrameErrors.ClosesConnection(e.Reason) ? InboundDisposition.Close : InboundDisposition.Reject,
            message, e.Reason, e.Detail));

    /// <summary>Link-level chatter (heartbeats, status, errors) is idempotent and not worth a dedup slot.</summary>
    private static bool IsDeduplicated(MessageType type) =>
        type is not (MessageType.Heartbeat or MessageType.StatusRequest or MessageType.StatusResponse or MessageType.Error);

    private InboundResult Count(InboundResult result)
    {
        var key = result.Reason is { } reason ? FrameErrors.Code(reason) : result.Disposition.ToString();
        _counts[key] = _counts.GetValueOrDefault(key) + 1;
        return result;
    }
}
