using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;

namespace HueyP.Persistence.Tests.Infrastructure;

/// <summary>Base of every conformance suite: the same tests run once per backend (SQLite and PostgreSQL subclasses).</summary>
public abstract class PersistenceSpec : IAsyncLifetime
{
    private readonly List<PersistenceStore> _stores = [];
    private StorageBackend? _backend;

    protected StorageBackend Backend => _backend ??= CreateBackend();

    protected abstract StorageBackend CreateBackend();

    protected PersistenceStore Store(Func<JournalSettings, JournalSettings>? configure = null, EventSerializer? serializer = null)
    {
        var settings = Backend.Settings;
        if (configure is not null) settings = configure(settings);
        var store = JournalFactory.Create(settings, serializer ?? TestEvents.Serializer());
        _stores.Add(store);
        return store;
    }

    protected static PersistentRepr Event(string persistenceId, long sequenceNr, string? text = null, params string[] tags) =>
        new(new Note(text ?? $"{persistenceId}-{sequenceNr}"), persistenceId, sequenceNr) { Tags = tags };

    /// <summary>Writes events from..to of the id, one AtomicWrite each, and checks none was rejected.</summary>
    protected static async Task WriteAsync(PersistenceStore store, string persistenceId, long from, long to, params string[] tags)
    {
        var writes = new List<AtomicWrite>();
        for (var seq = from; seq <= to; seq++) writes.Add(new AtomicWrite(Event(persistenceId, seq, null, tags)));
        var results = await store.Journal.WriteMessagesAsync(writes);
        Assert.All(results, Assert.Null);
    }

    protected static async Task<List<PersistentRepr>> ReplayAsync(PersistenceStore store, string persistenceId,
        long from = 1, long to = long.MaxValue, long max = long.MaxValue)
    {
        var replayed = new List<PersistentRepr>();
        await store.Journal.ReplayMessagesAsync(persistenceId, from, to, max, replayed.Add);
        return replayed;
    }

    protected static List<long> SequenceNrs(IEnumerable<PersistentRepr> events) => events.Select(e => e.SequenceNr).ToList();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        if (_backend is not null) await _backend.DisposeAsync();
    }
}
