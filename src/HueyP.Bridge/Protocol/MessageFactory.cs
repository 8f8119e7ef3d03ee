namespace HueyP.Bridge.Protocol;

/// <summary>Stamps new messages with a unique id, the current time and our source name.</summary>
public sealed class MessageFactory(string source, TimeProvider time, ProtocolVersion version = ProtocolVersion.V1_0)
{
    private long _counter;
    private readonly string _prefix = source.Length > 20 ? source[..20] : source;

    public string Source { get; } = source;

    public ProtocolVersion Version { get; set; } = version;

    public string NewId() => $"{SafePrefix()}-{time.GetUtcNow().ToUnixTimeMilliseconds():x}-{Interlocked.Increment(ref _counter)}";

    private string SafePrefix() => new(_prefix.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    public BridgeMessage Create<TPayload>(MessageType type, TPayload payload, string? id = null) =>
        new(Version, type, id ?? NewId(), time.GetUtcNow(), Source, Payloads.ToElement(payload));

    public BridgeMessage Ack(BridgeMessage acked, string status, string? reason = null) =>
        Create(MessageType.Ack, new AckPayload(acked.MessageId, status) { Reason = reason });

    public BridgeMessage Error(string code, string reason, string? refMessageId = null) =>
        Create(MessageType.Error, new ErrorPayload(code, reason) { RefMessageId = refMessageId });

    public BridgeMessage Heartbeat(string? testRequest = null, string? testResponse = null) =>
        Create(MessageType.Heartbeat, new HeartbeatPayload { TestRequest = testRequest, TestResponse = testResponse });
}
