using System.Threading.Channels;

namespace HueyP.Engine.Decisions;

/// <summary>
/// Appends JSONL lines on a background task so the recorder (and through it the symbols) never waits for a disk.
/// The queue is unbounded on purpose: records are a few per bar, and losing one is worse than holding it in memory.
/// A flush marker travels through the same queue, so "flushed" means every line queued before it is on disk.
/// </summary>
internal sealed class RecordFileWriter : IAsyncDisposable
{
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private long _errors;

    private readonly record struct Item(byte[]? Line, TaskCompletionSource? Flushed);

    public RecordFileWriter(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        // Opened here, not in the pump, so a bad path fails the engine's start instead of silently losing records.
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        _pump = Task.Run(() => PumpAsync(stream));
    }

    public long Errors => Interlocked.Read(ref _errors);

    public void Append(byte[] line) => _queue.Writer.TryWrite(new Item(line, null));

    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Item(null, flushed))) flushed.TrySetResult();
        return flushed.Task;
    }

    private async Task PumpAsync(FileStream stream)
    {
        await using (stream)
        {
            await foreach (var item in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    if (item.Line is { } line)
                    {
                        stream.Write(line);
                        stream.WriteByte((byte)'\n');
                    }
                    else
                    {
                        stream.Flush(flushToDisk: false);
                    }
                }
                catch (IOException)
                {
                    Interlocked.Increment(ref _errors);
                }
                finally
                {
                    item.Flushed?.TrySetResult();
                }
            }

            stream.Flush(flushToDisk: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }
}
