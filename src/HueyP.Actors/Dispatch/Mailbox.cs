namespace HueyP.Actors.Dispatch;

/// <summary>What the mailbox runs messages on (the actor cell).</summary>
internal interface IMessageInvoker
{
    void Invoke(object message, IActorRef? sender);

    void SystemInvoke(SystemMessage message);

    void DeadLetter(object message, IActorRef? sender);

    void DeadLetterSystem(SystemMessage message);

    void OnRunStart();

    void OnRunEnd();
}

/// <summary>
/// Per-actor mailbox and its own thread-pool work item. The status word (scheduled, closed,
/// suspend count) is changed with Interlocked operations only, so Tell never takes a lock.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int ScheduledFlag = 1;
    private const int ClosedFlag = 2;
    private const int SuspendUnit = 4;

    private static readonly SystemMessage ClosedSentinel = new Terminate();

    /// <summary>How many mailboxes one pool work item may run back to back through the hand-off slot before it yields.</summary>
    private const int MaxHandOffs = 64;

    // The hand-off slot (Go's runnext): the first mailbox an actor's handler schedules is run on this thread as soon
    // as the current run ends, instead of a round trip through the thread pool. A request/reply chain then costs no
    // pool hop per message. The slot is given to the pool whenever the current actor still has messages to process,
    // so fan-out keeps its parallelism, and after MaxHandOffs runs, so one chain cannot hold a thread for ever.
    [ThreadStatic] private static Mailbox? t_handOff;
    [ThreadStatic] private static bool t_inRun;

    private readonly MessageQueue _queue = new();
    private readonly IMessageInvoker _invoker;
    private readonly int _throughput;
    private readonly int _capacity;
    private readonly OverflowStrategy _overflow;
    private int _status;
    private int _count; // maintained only when bounded
    private SystemMessage? _systemStack; // LIFO, reversed when drained
    private Stack<Envelope>? _prepended; // consumer-only: unstashed messages go before the queue

    public Mailbox(IMessageInvoker invoker, int throughput, MailboxSettings? settings)
    {
        _invoker = invoker;
        _throughput = Math.Max(1, throughput);
        _capacity = settings?.Capacity ?? 0;
        _overflow = settings?.Overflow ?? OverflowStrategy.DropNew;
    }

    public bool IsClosed => (Volatile.Read(ref _status) & ClosedFlag) != 0;

    public bool IsSuspended => Volatile.Read(ref _status) >= SuspendUnit;

    public int Depth => (_prepended?.Count ?? 0) + (_capacity > 0 ? Math.Max(0, Volatile.Read(ref _count)) : _queue.Count());

    public bool Post(object message, IActorRef? sender)
    {
        if (_capacity > 0 && !TryReserveCapacity(message, sender)) return false;
        _queue.Enqueue(new Envelope { Message = message, Sender = sender });
        ScheduleIfNeeded(forSystemMessage: false);
        return true;
    }

    private bool TryReserveCapacity(object message, IActorRef? sender)
    {
        var count = Interlocked.Increment(ref _count);
        if (count <= _capacity || _overflow == OverflowStrategy.DropHead) return true;
        Interlocked.Decrement(ref _count);
        _invoker.DeadLetter(message, sender);
        if (_overflow == OverflowStrategy.Fail)
            PostSystem(new Crash(new MailboxOverflowException($"Mailbox capacity {_capacity} exceeded")));
        return false;
    }

    public void PostSystem(SystemMessage message)
    {
        while (true)
        {
            var head = Volatile.Read(ref _systemStack);
            if (ReferenceEquals(head, ClosedSentinel))
            {
                _invoker.DeadLetterSystem(message);
                return;
            }
            message.Next = head;
            if (ReferenceEquals(Interlocked.CompareExchange(ref _systemStack, message, head), head)) break;
        }
        ScheduleIfNeeded(forSystemMessage: true);
    }

    /// <summary>Consumer only: puts messages back in front of the queue, in the given order.</summary>
    public void Prepend(IReadOnlyList<(object Message, IActorRef? Sender)> messages)
    {
        if (messages.Count == 0) return;
        _prepended ??= new Stack<Envelope>();
        for (var i = messages.Count - 1; i >= 0; i--)
            _prepended.Push(new Envelope { Message = messages[i].Message, Sender = messages[i].Sender });
    }

    public void SuspendUserMessages() => Interlocked.Add(ref _status, SuspendUnit);

    public void ResumeUserMessages()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if (status < SuspendUnit) return;
            if (Interlocked.CompareExchange(ref _status, status - SuspendUnit, status) == status) break;
        }
        ScheduleIfNeeded(forSystemMessage: false);
    }

    /// <summary>Consumer only: closes the mailbox; everything still queued and sent later becomes a dead letter.</summary>
    public void Close()
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if (Interlocked.CompareExchange(ref _status, status | ClosedFlag, status) == status) break;
        }
        var pending = Reverse(Interlocked.Exchange(ref _systemStack, ClosedSentinel));
        while (pending is not null)
        {
            var next = pending.Next;
            pending.Next = null;
            _invoker.DeadLetterSystem(pending);
            pending = next;
        }
        DrainUserMessagesToDeadLetters();
    }

    private void DrainUserMessagesToDeadLetters()
    {
        if (_prepended is not null)
            while (_prepended.TryPop(out var envelope)) _invoker.DeadLetter(envelope.Message!, envelope.Sender);
        while (_queue.TryDequeue(out var message, out var sender))
        {
            if (_capacity > 0) Interlocked.Decrement(ref _count);
            _invoker.DeadLetter(message, sender);
        }
    }

    private void ScheduleIfNeeded(bool forSystemMessage)
    {
        while (true)
        {
            var status = Volatile.Read(ref _status);
            if ((status & ScheduledFlag) != 0) return;
            if (!forSystemMessage && status >= SuspendUnit && (status & ClosedFlag) == 0) return;
            if (Interlocked.CompareExchange(ref _status, status | ScheduledFlag, status) == status)
            {
                if (t_inRun && t_handOff is null) t_handOff = this;
                else ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }
        }
    }

    public void Execute()
    {
        var mailbox = this;
        for (var handOffs = 0; ; handOffs++)
        {
            mailbox.Run();
            var next = t_handOff;
            if (next is null) return;
            t_handOff = null;
            if (handOffs == MaxHandOffs)
            {
                ThreadPool.UnsafeQueueUserWorkItem(next, preferLocal: false);
                return;
            }
            mailbox = next;
        }
    }

    private void Run()
    {
        _invoker.OnRunStart();
        t_inRun = true;
        try
        {
            if (IsClosed)
                DrainUserMessagesToDeadLetters();
            else
            {
                ProcessSystemMessages();
                ProcessUserMessages();
            }
        }
        finally
        {
            // Outside the run: a mailbox rescheduling itself (throughput spent) goes to the back of the pool's queue.
            t_inRun = false;
            _invoker.OnRunEnd();
            Interlocked.And(ref _status, ~ScheduledFlag);
            if (HasWork()) ScheduleIfNeeded(forSystemMessage: HasSystemMessages || IsClosed);
        }
    }

    /// <summary>This actor goes on processing, so a mailbox waiting in the hand-off slot goes to another thread now.</summary>
    private static void ReleaseHandOff()
    {
        var waiting = t_handOff;
        if (waiting is null) return;
        t_handOff = null;
        ThreadPool.UnsafeQueueUserWorkItem(waiting, preferLocal: false);
    }

    private bool HasSystemMessages
    {
        get
        {
            var head = Volatile.Read(ref _systemStack);
            return head is not null && !ReferenceEquals(head, ClosedSentinel);
        }
    }

    private bool HasUserMessages => _queue.HasMessages || _prepended is { Count: > 0 };

    private bool HasWork() =>
        HasSystemMessages || (HasUserMessages && (!IsSuspended || IsClosed));

    private void ProcessSystemMessages()
    {
        while (!IsClosed)
        {
            var head = Volatile.Read(ref _systemStack);
            if (head is null || ReferenceEquals(head, ClosedSentinel)) return;
            if (!ReferenceEquals(Interlocked.CompareExchange(ref _systemStack, null, head), head)) continue;
            var node = Reverse(head);
            while (node is not null)
            {
                var next = node.Next;
                node.Next = null;
                // If the actor died mid-batch, the rest still needs a dead-letter answer (e.g. Watch).
                if (IsClosed) _invoker.DeadLetterSystem(node);
                else _invoker.SystemInvoke(node);
                node = next;
            }
        }
    }

    private static SystemMessage? Reverse(SystemMessage? head)
    {
        SystemMessage? reversed = null;
        while (head is not null && !ReferenceEquals(head, ClosedSentinel))
        {
            var next = head.Next;
            head.Next = reversed;
            reversed = head;
            head = next;
        }
        return reversed;
    }

    private void ProcessUserMessages()
    {
        var left = _throughput;
        // Suspended (>= SuspendUnit) or closed: one volatile read decides both.
        while (left-- > 0 && Volatile.Read(ref _status) is var status && status < SuspendUnit && (status & ClosedFlag) == 0)
        {
            object message;
            IActorRef? sender;
            if (_prepended is { Count: > 0 })
            {
                var envelope = _prepended.Pop();
                message = envelope.Message!;
                sender = envelope.Sender;
            }
            else
            {
                if (!_queue.TryDequeue(out message, out sender)) return;
                if (_capacity > 0 && Interlocked.Decrement(ref _count) >= _capacity && _overflow == OverflowStrategy.DropHead)
                {
                    _invoker.DeadLetter(message, sender);
                    left++;
                    continue;
                }
            }
            _invoker.Invoke(message, sender);
            if (Volatile.Read(ref _systemStack) is not null) ProcessSystemMessages();
            if (t_handOff is not null && left > 0 && HasUserMessages) ReleaseHandOff();
        }
    }
}
