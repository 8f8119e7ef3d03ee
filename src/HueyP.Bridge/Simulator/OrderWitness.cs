using System.Text;
using System.Text.Json;

namespace HueyP.Bridge.Simulator;

/// <summary>
/// What the simulated EA did with every order, by order id (the client order id a TRADE/SIGNAL carries, not its message
/// id): the witness for "no lost signal, no duplicate order". Two different messages naming the same order id are both
/// executed and counted, so a resubmission under a new message id shows as a duplicate execution; only a repeat of a
/// message id already executed is suppressed (and counted as a duplicate delivery). With a witness file, every order
/// event is also appended there as one JSON line, flushed at once, so another process can read it while the EA runs.
/// Thread-safe; tests await conditions on it instead of sleeping.
/// </summary>
public sealed class OrderWitness : IDisposable
{
    private readonly Lock _lock = new();
    private readonly FileStream? _file;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Dictionary<string, int> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _deliveries = new(StringComparer.Ordinal);
    private readonly List<string> _executedInOrder = new();
    private readonly List<(string OrderId, string Reason)> _expired = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _duplicateDeliveries;
    private long _refusedFrames;

    public OrderWitness()
    {
    }

    /// <param name="file">Appended to (created if missing) with one line per order event; see <see cref="WitnessLine"/>.</param>
    /// <param name="time">Stamps the lines.</param>
    public OrderWitness(string? file, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        if (file is null) return;
        _file = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

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

    internal void Execute(string orderId, string messageId)
    {
        lock (_lock)
        {
            _deliveries[orderId] = _deliveries.GetValueOrDefault(orderId) + 1;
            var executions = _executions[orderId] = _executions.GetValueOrDefault(orderId) + 1;
            _executedInOrder.Add(orderId);
            Append(new WitnessLine(WitnessLine.Executed, orderId, messageId, executions, Now));
        }
        Pulse();
    }

    internal void Refused() => Interlocked.Increment(ref _refusedFrames);

    internal void DuplicateDelivery(string orderId, string messageId)
    {
        lock (_lock)
        {
            _deliveries[orderId] = _deliveries.GetValueOrDefault(orderId) + 1;
            Append(new WitnessLine(WitnessLine.DuplicateDelivery, orderId, messageId, _executions.GetValueOrDefault(orderId), Now));
        }
        Interlocked.Increment(ref _duplicateDeliveries);
        Pulse();
    }

    internal void Expire(string orderId, string messageId, string reason)
    {
        lock (_lock)
        {
            _expired.Add((orderId, reason));
            Append(new WitnessLine(WitnessLine.Expired, orderId, messageId, _executions.GetValueOrDefault(orderId), Now) { Reason = reason });
        }
        Pulse();
    }

    private string Now => Protocol.Timestamps.Format(_time.GetUtcNow());

    /// <summary>One line, written whole and flushed to the OS at once: a reader sees complete lines (a crash can only cut the last).</summary>
    private void Append(WitnessLine line)
    {
        if (_file is null) return;
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(line, WitnessLineJson.Options) + "\n");
        _file.Write(bytes);
        _file.Flush();
    }

    public void Dispose()
    {
        lock (_lock) _file?.Dispose();
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

/// <summary>
/// One line of the witness file (<c>hueyp ea-sim --witness-file</c>), as JSON:
/// <c>{"event":"executed","order_id":"...","message_id":"...","executions":1,"at":"2026-11-22T14:00:00.123Z"}</c>. <see cref="Event"/> is
/// <c>executed</c> (a new message id: executed on the EA's account), <c>duplicate_delivery</c> (a message id already
/// executed, delivered again: re-ACKed, not executed) or <c>expired</c> (stale on arrival: refused, not executed);
/// <see cref="Executions"/> is how often the order id has been executed so far, so any line above 1 is an order executed twice.
/// </summary>
public sealed record WitnessLine(string Event, string OrderId, string MessageId, int Executions, string At)
{
    public const string Executed = "executed";
    public const string DuplicateDelivery = "duplicate_delivery";
    public const string Expired = "expired";

    /// <summary>Why an expired order was refused.</summary>
    public string? Reason { get; init; }

    /// <summary>Reads a line of the file; null for one that is not a whole witness line (e.g. cut by a crash).</summary>
    public static WitnessLine? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<WitnessLine>(line, WitnessLineJson.Options) is { Event.Length: > 0, OrderId: not null, MessageId: not null, At: not null } parsed ? parsed : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal static class WitnessLineJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record WitnessCounts(int Executed, int DuplicateExecutions, long DuplicateDeliveries, int Expired, long RefusedFrames);
