namespace HueyP.Persistence.Query;

/// <summary>Wakes live queries when events were written (by this process, or announced by the database).</summary>
internal sealed class ChangeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Take this before reading, then wait on it: a write that lands in between is not missed.</summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public static async Task WaitAsync(Task change, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await change.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // polling interval elapsed: look again
        }
    }
}
