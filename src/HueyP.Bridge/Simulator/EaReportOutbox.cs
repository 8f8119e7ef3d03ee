using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Simulator;

/// <summary>
/// EXECUTION_REPORTs the EA sends on its own, when a quote fills a pending order or closes a position by its stop:
/// nobody asks for these, so each is kept until the bridge ACKs it and sent again (same message id, acted on once) on
/// every link that comes up. Thread-safe.
/// </summary>
internal sealed class EaReportOutbox
{
    private readonly Lock _lock = new();
    private readonly List<BridgeMessage> _pending = new();

    public int Count
    {
        get { lock (_lock) return _pending.Count; }
    }

    public void Add(BridgeMessage report)
    {
        lock (_lock) _pending.Add(report);
    }

    /// <summary>True when the ACK was for a report held here (it is then forgotten).</summary>
    public bool Acknowledge(string messageId)
    {
        lock (_lock) return _pending.RemoveAll(m => m.MessageId == messageId) > 0;
    }

    /// <summary>Unacknowledged reports, oldest first.</summary>
    public IReadOnlyList<BridgeMessage> Pending()
    {
        lock (_lock) return _pending.ToArray();
    }
}
