using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports.Router;

/// <summary>
/// Outbound SIGNAL/TRADE messages kept until the EA ACKs them, replayed in order after a route switch or a
/// restart. The in-memory one lives as long as the process; <see cref="Outbox.JournalOutbox"/> survives restarts.
/// </summary>
public interface IOutbox
{
    /// <summary>
    /// Takes the message in; the task completes once it is durable (at once for a memory outbox) and faults with
    /// <see cref="Outbox.OutboxUnavailableException"/> when it cannot be made durable (it is still held in memory).
    /// Idempotent: enqueuing an id that is already pending changes nothing.
    /// </summary>
    Task Enqueue(BridgeMessage message);

    /// <summary>True if the id was pending.</summary>
    bool Acknowledge(string messageId);

    /// <summary>Gives up on a pending message (expired); true if it was pending.</summary>
    bool Remove(string messageId);

    /// <summary>Unacknowledged messages in enqueue order.</summary>
    IReadOnlyList<BridgeMessage> Pending();

    int Count { get; }

    /// <summary>Creation time of the oldest pending message (its age is how long an order has waited), or null.</summary>
    DateTimeOffset? OldestPendingAt { get; }
}

public sealed class InMemoryOutbox : IOutbox
{
    private readonly Lock _lock = new();
    private readonly LinkedList<BridgeMessage> _order = new();
    private readonly Dictionary<string, LinkedListNode<BridgeMessage>> _byId = new(StringComparer.Ordinal);

    public int Count
    {
        get { lock (_lock) return _byId.Count; }
    }

    public Task Enqueue(BridgeMessage message)
    {
        lock (_lock)
        {
            if (!_byId.ContainsKey(message.MessageId)) _byId[message.MessageId] = _order.AddLast(message);
        }
        return Task.CompletedTask;
    }

    public bool Acknowledge(string messageId) => Remove(messageId);

    public bool Remove(string messageId)
    {
        lock (_lock)
        {
            if (!_byId.Remove(messageId, out var node)) return false;
            _order.Remove(node);
            return true;
        }
    }

    public IReadOnlyList<BridgeMessage> Pending()
    {
        lock (_lock) return _order.ToArray();
    }

    public DateTimeOffset? OldestPendingAt
    {
        get { lock (_lock) return _order.First?.Value.Timestamp; }
    }
}
