namespace HueyP.Actors.Dispatch;

/// <summary>A queued user message; also the node of the intrusive queue, so one allocation per message.</summary>
internal sealed class Envelope
{
    public object? Message;
    public IActorRef? Sender;
    public Envelope? Next;
}

/// <summary>
/// Multi-producer single-consumer queue (Vyukov's intrusive design): producers do one
/// Interlocked.Exchange, the consumer no atomic operation at all.
/// </summary>
internal sealed class MessageQueue
{
    private Envelope _head;  // last enqueued, swapped by producers
    private Envelope _tail;  // consumer-owned stub; its Next is the oldest message

    public MessageQueue()
    {
        var stub = new Envelope();
        _head = stub;
        _tail = stub;
    }

    public void Enqueue(Envelope envelope)
    {
        var previous = Interlocked.Exchange(ref _head, envelope);
        Volatile.Write(ref previous.Next, envelope);
    }

    /// <summary>Consumer only.</summary>
    public bool HasMessages => !ReferenceEquals(Volatile.Read(ref _head), _tail);

    /// <summary>Consumer only.</summary>
    public bool TryDequeue(out object message, out IActorRef? sender)
    {
        var tail = _tail;
        var next = Volatile.Read(ref tail.Next);
        if (next is null)
        {
            if (ReferenceEquals(Volatile.Read(ref _head), tail))
            {
                message = null!;
                sender = null;
                return false;
            }
            // A producer swapped the head but has not linked yet: it is between two instructions.
            var spin = new SpinWait();
            while ((next = Volatile.Read(ref tail.Next)) is null) spin.SpinOnce();
        }
        _tail = next;
        message = next.Message!;
        sender = next.Sender;
        next.Message = null;
        next.Sender = null;
        return true;
    }

    /// <summary>Approximate depth for diagnostics; walks the list without consuming.</summary>
    public int Count(int limit = 1_000_000)
    {
        var count = 0;
        for (var node = Volatile.Read(ref _tail.Next); node is not null && count < limit; node = Volatile.Read(ref node.Next)) count++;
        return count;
    }
}
