namespace HueyP.Bridge.Protocol;

/// <summary>Persists the recent-id window so a restart does not forget what was already acted on.</summary>
public interface IDedupStore
{
    /// <summary>Ids in arrival order, oldest first.</summary>
    IReadOnlyList<string> Load();

    void Append(string id);

    /// <summary>Replaces the stored ids with exactly these (called when the store has grown past the window).</summary>
    void Compact(IReadOnlyList<string> ids);
}

/// <summary>
/// A bounded window of recently seen message ids: delivery is at-least-once, this makes acting at-most-once.
/// When full, the oldest id is forgotten. Thread-safe, because every session of the bridge shares one window
/// (a message replayed over the pipe after the socket died must still be recognised).
/// </summary>
public sealed class DedupWindow
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly IDedupStore? _store;
    private int _appendedSinceCompact;

    public DedupWindow(int capacity = 10_000, IDedupStore? store = null)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        Capacity = capacity;
        _store = store;
        if (store is null) return;
        foreach (var id in store.Load()) Remember(id);
    }

    public int Capacity { get; }

    public int Count
    {
        get { lock (_lock) return _ids.Count; }
    }

    public bool Contains(string id)
    {
        lock (_lock) return _ids.Contains(id);
    }

    /// <summary>True the first time an id is seen; false for a duplicate.</summary>
    public bool TryRegister(string id)
    {
        lock (_lock)
        {
            if (_ids.Contains(id)) return false;
            Remember(id);
            if (_store is null) return true;
            _store.Append(id);
            if (++_appendedSinceCompact >= Capacity)
            {
                _store.Compact(_order.ToArray());
                _appendedSinceCompact = 0;
            }
            return true;
        }
    }

    private void Remember(string id)
    {
        if (!_ids.Add(id)) return;
        _order.Enqueue(id);
        while (_order.Count > Capacity) _ids.Remove(_order.Dequeue());
    }
}

/// <summary>
/// One id per line, appended through a file kept open; compaction writes a temporary file and renames it,
/// so a crash leaves either the old or the new file, never half of one. With <paramref name="durable"/> every
/// append is flushed to disk (an order id must survive a power cut); without it, to the OS only.
/// </summary>
public sealed class FileDedupStore(string path, bool durable = true) : IDedupStore, IDisposable
{
    private readonly Lock _lock = new();
    private FileStream? _append;

    public string Path { get; } = path;

    public IReadOnlyList<string> Load()
    {
        lock (_lock)
        {
            if (!File.Exists(Path)) return [];
            // A torn last line (crash mid-append) is just an id we did not record: ignore it.
            return File.ReadAllLines(Path).Where(BridgeCodec.IsValidId).ToArray();
        }
    }

    public void Append(string id)
    {
        lock (_lock)
        {
            _append ??= new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            _append.Write(System.Text.Encoding.UTF8.GetBytes(id + "\n"));
            _append.Flush(flushToDisk: durable);
        }
    }

    public void Compact(IReadOnlyList<string> ids)
    {
        lock (_lock)
        {
            _append?.Dispose();
            _append = null;
            var temporary = Path + ".tmp";
            File.WriteAllLines(temporary, ids);
            File.Move(temporary, Path, overwrite: true);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _append?.Dispose();
            _append = null;
        }
    }
}
