namespace HueyP.Bridge.Simulator;

/// <summary>
/// What the simulated EA did with every order, by order id: the witness for "no lost signal, no duplicate order".
/// Thread-safe; tests await conditions on it instead of sleeping.
/// </summary>
public sealed class OrderWitness
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _deliveries = new(StringComparer.Ordinal);
    private readonly List<string> _executedInOrder = new();
    private readonly List<(string OrderId, string Reason)> _expired = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _duplicateDeliveries;
    private long _refusedFrames;

    /// <summary>Distinct orders executed.</summary>
    public int Executed
    {
        get { lock (_lock) return _executions.Count; }
    }

    /// <summary>Deliveries of an already executed message id (redelivery after failover): suppressed, re-ACKed.</summary>
    public long DuplicateDeliveries => Interlocked.Read(ref _duplicateDeliveries);

    /// <summary>Frames from the bridge the EA could not read (damaged, invalid) and answered with ERROR.</summary>
    public long RefusedFrames => Interlocked.Read(ref _refusedFrames);

    /// <summary>Orders executed more than once: must always be zero.</summary>
    public int DuplicateExecutions
    {
        get { lock (_lock) return _executions.Values.Count(c => c > 1); }
    }

    public IReadOnlyList<string> ExecutedInOrder
    {
        get { lock (_lock) return _executedInOrder.ToArray(); }
    }

    public IReadOnlyList<(string OrderId, string Reason)> Expired
    {
        get { lock (_lock) return _expired.ToArray(); }
    }

    public int ExecutionsOf(string orderId)
    {
        lock (_lock) return _executions.GetValueOrDefault(orderId);
    }

    /// <summary>How often an order arrived at all: executed once, plus every redelivery of it.</summary>
    public int DeliveriesOf(string orderId)
    {
        lock (_lock) return _deliveries.GetValueOrDefault(orderId);
    }

    internal void Execute(string orderId)
    {
        lock (_lock)
        {
            _deliveries[orderId] = _deliveries.GetValueOrDefault(orderId) + 1;
            _executions[orderId] = _executions.GetValueOrDefault(orderId) + 1;
            _executedInOrder.Add(orderId);
        }
        Pulse();
    }

    internal void Refused() => Interlocked.Increment(ref _refusedFrames);

    internal void DuplicateDelivery(string orderId)
    {
        lock (_lock) _deliveries[orderId] = _deliveries.GetValueOrDefault(orderId) + 1;
        Interlocked.Increment(ref _duplicateDeliveries);
        Pulse();
    }

    internal void Expire(string orderId, string reason)
    {
        lock (_lock) _expired.Add((orderId, reason));
        Pulse();
    }

    private void Pulse()
    {
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    /// <summary>Completes when the condition holds; throws TimeoutException (with the counts) after the timeout.</summary>
    public async Task WaitForAsync(Func<OrderWitness, bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock) changed = _changed.Task;
            if (condition(this)) return;
            try
            {
                await changed.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (condition(this)) return;
                throw new TimeoutException($"witness condition not met within {timeout}: {this}");
            }
        }
    }

    public override string ToString() =>
        $"executed {Executed}, duplicate deliveries {DuplicateDeliveries}, duplicate executions {DuplicateExecutions}, expired {Expired.Count}, refused frames {RefusedFrames}";

    /// <summary>The counts as one flat record (what `hueyp ea-sim` prints as JSON).</summary>
    public WitnessCounts Counts() => new(Executed, DuplicateExecutions, DuplicateDeliveries, Expired.Count, RefusedFrames);
}

public sealed record WitnessCounts(int Executed, int DuplicateExecutions, long DuplicateDeliveries, int Expired, long RefusedFrames);
