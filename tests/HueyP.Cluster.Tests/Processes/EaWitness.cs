using System.Text;
using System.Text.Json;

namespace HueyP.Cluster.Tests.Processes;

/// <summary>
/// The EA simulator as the witness of what reached the broker: reads the file `hueyp ea-sim --witness-file` appends to
/// (one JSON line per order it received: event executed / duplicate_delivery / expired, order_id = the client order id,
/// message_id, executions = how often that order id has been executed so far), from where it stopped last time, while
/// the EA keeps writing. An order id executed twice is a duplicate whatever its message ids: a new active resubmitting
/// an order under a fresh message id would be executed again by the EA, and shows here. A redelivery of the same message
/// id (the outbox resending after a failover) is answered DUPLICATE by the EA without executing: counted, not a fault.
/// </summary>
public sealed class EaWitness(string file) : IOrderWitness
{
    private readonly Dictionary<string, int> _executions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _received = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _messageIds = new(StringComparer.Ordinal);
    private long _offset;

    /// <summary>An acknowledged order may still be in the new active's outbox when the check starts: it waits this long for it.</summary>
    public TimeSpan ArrivalTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string Name => "the EA simulator";

    /// <summary>Order ids the EA received at all (executed, delivered again, or refused as expired).</summary>
    public IReadOnlySet<string> Received => _received;

    /// <summary>Order ids the EA executed more than once.</summary>
    public IReadOnlyList<string> ExecutedTwice => _executions.Where(e => e.Value > 1).Select(e => e.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Deliveries of a message id the EA had already executed (re-ACKed DUPLICATE, not executed).</summary>
    public long DuplicateDeliveries { get; private set; }

    /// <summary>Orders the EA refused as stale on arrival (their expires_at had passed): received, never executed.</summary>
    public long Expired { get; private set; }

    /// <summary>Lines the EA wrote that were not whole witness lines (must stay 0: it writes each line in one go).</summary>
    public long UnreadableLines { get; private set; }

    /// <summary>
    /// Order ids executed twice (at once, never waited away), and acknowledged ones the EA has not received: polled until
    /// there are none or <see cref="ArrivalTimeout"/> has passed.
    /// </summary>
    public async Task<(IReadOnlyList<string> Duplicates, IReadOnlyList<string> Missing)> CheckAsync(IReadOnlySet<string> acknowledged)
    {
        var deadline = DateTime.UtcNow + ArrivalTimeout;
        while (true)
        {
            await RefreshAsync();
            var duplicates = ExecutedTwice;
            var missing = acknowledged.Where(id => !_received.Contains(id)).Order(StringComparer.Ordinal).ToList();
            if (duplicates.Count > 0 || missing.Count == 0 || DateTime.UtcNow > deadline)
                return (duplicates, missing.Select(id => $"{id} ({Describe(id)})").ToList());
            await Task.Delay(100);
        }
    }

    private string Describe(string id) => _messageIds.TryGetValue(id, out var ids) ? $"message ids {string.Join("/", ids)}" : "never seen by the EA";

    /// <summary>Reads the lines appended since the last read; a line not yet ended by its newline is left for the next read.</summary>
    public async Task RefreshAsync()
    {
        if (!File.Exists(file)) return;
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(_offset, SeekOrigin.Begin);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var end = bytes.LastIndexOf((byte)'\n');
        if (end < 0) return;
        foreach (var line in Encoding.UTF8.GetString(bytes[..end]).Split('\n', StringSplitOptions.RemoveEmptyEntries)) Read(line);
        _offset += end + 1;
    }

    private void Read(string line)
    {
        string kind, orderId, messageId;
        int executions;
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            kind = root.GetProperty("event").GetString()!;
            orderId = root.GetProperty("order_id").GetString()!;
            messageId = root.GetProperty("message_id").GetString()!;
            executions = root.GetProperty("executions").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            UnreadableLines++;
            return;
        }
        _received.Add(orderId);
        if (!_messageIds.TryGetValue(orderId, out var ids)) _messageIds[orderId] = ids = new HashSet<string>(StringComparer.Ordinal);
        ids.Add(messageId);
        switch (kind)
        {
            case "executed":
                _executions[orderId] = Math.Max(executions, _executions.GetValueOrDefault(orderId) + 1);
                break;
            case "duplicate_delivery":
                DuplicateDeliveries++;
                break;
            case "expired":
                Expired++;
                break;
            default:
                UnreadableLines++;
                break;
        }
    }
}
