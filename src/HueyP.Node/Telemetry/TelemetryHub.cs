namespace HueyP.Node.Telemetry;

/// <summary>
/// The latest <see cref="TelemetrySnapshot"/>, handed from the telemetry actor to the web side: the actor replaces it,
/// readers (the dashboard's live stream, /metrics) take it and wait for the next one without locks on the actor.
/// </summary>
public sealed class TelemetryHub(TelemetrySnapshot initial)
{
    private TelemetrySnapshot _latest = initial;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HueyP.Domain.Orders.OrderBook? _book;

    public TelemetrySnapshot Latest => Volatile.Read(ref _latest);

    /// <summary>The newest order book telemetry read (for the blotter); null when the node has no order side.</summary>
    public HueyP.Domain.Orders.OrderBook? Book => Volatile.Read(ref _book);

    public void PublishBook(HueyP.Domain.Orders.OrderBook book) => Volatile.Write(ref _book, book);

    public void Publish(TelemetrySnapshot snapshot)
    {
        Volatile.Write(ref _latest, snapshot);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes when a snapshot newer than <paramref name="version"/> is there, or after <paramref name="max"/>.</summary>
    public async Task<TelemetrySnapshot> NextAsync(long version, TimeSpan max, CancellationToken ct)
    {
        var waiter = Volatile.Read(ref _next).Task;
        if (Latest.Version > version) return Latest;
        try
        {
            await waiter.WaitAsync(max, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A quiet engine still gets a heartbeat frame, so the page can tell "no news" from "connection lost".
        }

        return Latest;
    }
}
