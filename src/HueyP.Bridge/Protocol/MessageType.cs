namespace HueyP.Bridge.Protocol;

public enum MessageType
{
    Heartbeat,
    StatusRequest,
    StatusResponse,
    Signal,
    Trade,
    Param,
    Error,
    Tick,
    Ack,
    ExecutionReport,
}

public enum ProtocolVersion
{
    V1_0,
    V1_2,
}

public static class WireNames
{
    private static readonly (MessageType Type, string Name)[] Types =
    [
        (MessageType.Heartbeat, "HEARTBEAT"),
        (MessageType.StatusRequest, "STATUS_REQUEST"),
        (MessageType.StatusResponse, "STATUS_RESPONSE"),
        (MessageType.Signal, "SIGNAL"),
        (MessageType.Trade, "TRADE"),
        (MessageType.Param, "PARAM"),
        (MessageType.Error, "ERROR"),
        (MessageType.Tick, "TICK"),
        (MessageType.Ack, "ACK"),
        (MessageType.ExecutionReport, "EXECUTION_REPORT"),
    ];

    public static string Name(MessageType type) => Types[(int)type].Name;

    public static bool TryParse(string name, out MessageType type)
    {
        foreach (var (t, n) in Types)
            if (string.Equals(n, name, StringComparison.Ordinal)) { type = t; return true; }
        type = default;
        return false;
    }

    public static string Name(ProtocolVersion version) => version == ProtocolVersion.V1_2 ? "1.2" : "1.0";

    public static bool TryParseVersion(string text, out ProtocolVersion version)
    {
        switch (text)
        {
            case "1.0": version = ProtocolVersion.V1_0; return true;
            case "1.2": version = ProtocolVersion.V1_2; return true;
            default: version = default; return false;
        }
    }

    /// <summary>New-order messages: they must carry expires_at, are kept in the outbox until ACKed, and are executed at most once.</summary>
    public static bool IsOrder(MessageType type) => type is MessageType.Signal or MessageType.Trade;
}
