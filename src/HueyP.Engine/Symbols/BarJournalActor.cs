using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Engine.Health;
using HueyP.Persistence;
using HueyP.Persistence.Journal;

namespace HueyP.Engine.Symbols;

/// <summary>A symbol closed a bar: journal it for the next warm start. Told, never asked: the symbol does not wait.</summary>
internal sealed record JournalBar(SymbolBarClosed Bar);

/// <summary>Replies <see cref="BarJournalStatus"/>.</summary>
public sealed record GetBarJournalStatus
{
    public static readonly GetBarJournalStatus Instance = new();
}

/// <param name="Written">Bars stored.</param>
/// <param name="Held">Bars waiting for the journal (a write in flight, or an outage being retried).</param>
/// <param name="Dropped">Bars never stored: held past the limit during an outage, or refused by the journal.</param>
/// <param name="Failures">Write attempts that failed (each retried).</param>
public sealed record BarJournalStatus(long Written, int Held, long Dropped, long Failures, string? LastError);

public sealed record BarJournalSettings
{
    /// <summary>Bars held per symbol while the journal is out; older ones are dropped beyond it (the next warm start is then approximate).</summary>
    public int MaxHeldPerSymbol { get; init; } = 1_000;

    /// <summary>At most this many bars of one symbol go into one write.</summary>
    public int MaxBarsPerWrite { get; init; } = 500;

    public TimeSpan RetryMin { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// /user/engine/bar-journal (live, warm-start = journal): stores each closed bar of every symbol in its stream
/// (<see cref="SymbolBars.PersistenceId"/>), so the next active node — after a restart or a takeover — re-warms its
/// indicators on them. Off the symbols' path: they tell and go on. One write in flight at a time, gathering every bar
/// that arrived meanwhile (one small event per closed bar, never per quote). When the journal fails, the bars are held
/// (bounded) and retried with a backoff; the failure is published as <see cref="JournalWriteFailed"/> like every other
/// engine write, and the symbols keep deciding — a lost bar costs only warm-start exactness, never a decision.
/// A fenced write (this node lost the lease) fails the same way and is never stored.
/// </summary>
internal sealed class BarJournalActor : ReceiveActor, IWithTimers
{
    public const string ActorName = "bar-journal";
    private const string RetryTimer = "retry";
    private readonly PersistenceStore _store;
    private readonly BarJournalSettings _settings;
    private readonly ILoggingAdapter _log;
    private readonly SortedDictionary<string, Stream> _streams = new(StringComparer.Ordinal);
    private readonly bool _registered;
    private bool _writing;
    private int _attempt;
    private long _written;
    private long _dropped;
    private long _failures;
    private string? _lastError;

    public BarJournalActor(PersistenceStore store, BarJournalSettings settings)
    {
        _store = store;
        _settings = settings;
        _log = Context.GetLogger();
        _registered = SymbolBars.IsRegistered(store.Serializer);
        if (!_registered)
        {
            _log.Warning("Closed bars are not journaled: SymbolBarClosed is not registered with the journal's serializer " +
                         "(SymbolBars.Register belongs in EngineEvents.Serializer); symbols will warm start cold");
        }

        Receive<JournalBar>(OnBar);
        Receive<BarsWritten>(OnWritten);
        Receive<RetryWrite>(_ => Write());
        Receive<GetBarJournalStatus>(_ => Sender.Tell(new BarJournalStatus(_written, _streams.Values.Sum(s => s.Held.Count), _dropped, _failures, _lastError)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PersistenceStore store, BarJournalSettings? settings = null) =>
        Actors.Props.Create(() => new BarJournalActor(store, settings ?? new BarJournalSettings()));

    private void OnBar(JournalBar message)
    {
        if (!_registered)
        {
            _dropped++;
            return;
        }

        var bar = message.Bar;
        var id = SymbolBars.PersistenceId(bar.Symbol, bar.Timeframe);
        if (!_streams.TryGetValue(id, out var stream)) _streams[id] = stream = new Stream(id);
        stream.Held.Enqueue(bar);
        if (stream.Held.Count > _settings.MaxHeldPerSymbol)
        {
            stream.Held.Dequeue();
            if (_dropped++ == 0 || _dropped % 100 == 0)
                _log.Warning("Bar journal: {Stream} holds more than {Limit} bars during a journal outage; dropped the oldest ({Dropped} so far): the next warm start of {Symbol} is approximate",
                    id, _settings.MaxHeldPerSymbol, _dropped, bar.Symbol);
        }

        if (!_writing && !Timers.IsTimerActive(RetryTimer)) Write();
    }

    private void Write()
    {
        if (_writing) return;
        var batch = _streams.Values.Where(s => s.Held.Count > 0)
            .Select(s => new StreamBatch(s.Id, s.Highest, s.Held.Take(_settings.MaxBarsPerWrite).ToArray()))
            .ToList();
        if (batch.Count == 0) return;
        _writing = true;
        var journal = _store.Journal;
        Task.Run(async () =>
        {
            try
            {
                var sized = new List<StreamBatch>(batch.Count);
                foreach (var stream in batch)
                    sized.Add(stream with { Highest = stream.Highest ?? await journal.ReadHighestSequenceNrAsync(stream.Id).ConfigureAwait(false) });
                var writes = sized.Select(s => new AtomicWrite(s.Bars.Select((bar, i) => new PersistentRepr(bar, s.Id, s.Highest!.Value + 1 + i)).ToList())).ToList();
                var results = await journal.WriteMessagesAsync(writes).ConfigureAwait(false);
                return new BarsWritten(sized, results, null);
            }
            catch (Exception e)
            {
                return new BarsWritten(batch, null, e);
            }
        }).PipeTo(Self);
    }

    private void OnWritten(BarsWritten outcome)
    {
        _writing = false;
        if (outcome.Failure is { } failure)
        {
            _failures++;
            _lastError = failure.GetBaseException().Message;
            // The next attempt reads each stream's highest sequence number again: another writer (a conflict) may have
            // moved it. A write that committed although its answer was lost is stored again; a warm start keeps one
            // bar per open time, so that costs a row, not exactness.
            foreach (var sent in outcome.Batch) _streams[sent.Id].Highest = null;
            var retryIn = TimeSpan.FromTicks(Math.Min(_settings.RetryMax.Ticks, _settings.RetryMin.Ticks << Math.Min(_attempt, 16)));
            if (_attempt++ == 0)
                _log.Warning("Bar journal: writing {Bars} closed bar(s) failed ({Error}); the symbols go on deciding, the bars are held and retried every {RetryIn} up to {RetryMax}",
                    outcome.Batch.Sum(b => b.Bars.Length), _lastError, retryIn, _settings.RetryMax);
            Context.System.EventStream.Publish(new JournalWriteFailed(outcome.Batch[0].Id, _lastError));
            Timers.StartSingleTimer(RetryTimer, RetryWrite.Instance, retryIn);
            return;
        }

        if (_attempt > 0) _log.Info("Bar journal: writing again after {Attempts} failed attempt(s)", _attempt);
        _attempt = 0;
        for (var i = 0; i < outcome.Batch.Count; i++)
        {
            var sent = outcome.Batch[i];
            var stream = _streams[sent.Id];
            for (var n = 0; n < sent.Bars.Length && stream.Held.Count > 0; n++) stream.Held.Dequeue();
            if (outcome.Results![i] is { } rejected)
            {
                // Refused (too large, not serializable): spends no sequence number, and retrying would be refused again.
                stream.Highest = sent.Highest;
                _dropped += sent.Bars.Length;
                _lastError = rejected.Message;
                _log.Warning("Bar journal: {Stream} refused {Bars} bar(s): {Reason}", sent.Id, sent.Bars.Length, rejected.Message);
            }
            else
            {
                stream.Highest = sent.Highest + sent.Bars.Length;
                _written += sent.Bars.Length;
            }
        }

        Write();
    }

    private sealed class Stream(string id)
    {
        public string Id { get; } = id;
        public Queue<SymbolBarClosed> Held { get; } = new();
        public long? Highest { get; set; }
    }

    private sealed record StreamBatch(string Id, long? Highest, SymbolBarClosed[] Bars);

    private sealed record BarsWritten(IReadOnlyList<StreamBatch> Batch, IReadOnlyList<Exception?>? Results, Exception? Failure);

    private sealed record RetryWrite
    {
        public static readonly RetryWrite Instance = new();
    }
}
