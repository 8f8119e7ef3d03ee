using HueyP.Actors;
using HueyP.Domain.Ledger;
using HueyP.Engine.Health;
using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Ledger;

/// <summary>Opening balance and snapshot cadence of the account ledger.</summary>
public sealed record LedgerSettings
{
    public decimal OpeningBalance { get; init; } = 100_000m;
    public LedgerOptions Options { get; init; } = LedgerOptions.Default;
    /// <summary>
    /// A snapshot every this many events bounds recovery time. A snapshot holds every fill id the ledger remembers
    /// (exactly-once booking needs them all), so once those outnumber this interval by far, the interval grows with
    /// them (<see cref="SnapshotIdsPerEvent"/>): writing snapshots then costs a bounded amount per event instead of
    /// growing with the account's history, and recovery still replays fewer events than the snapshot holds ids.
    /// </summary>
    public int SnapshotEvery { get; init; } = 500;

    /// <summary>At most this many remembered fill ids are written (in snapshots) per journaled ledger event, on average.</summary>
    public const int SnapshotIdsPerEvent = 8;

    /// <summary>Where every ledger starts: zero cash at the epoch, then the opening deposit as its first event.</summary>
    public LedgerState Empty() => LedgerState.Open(Options, 0m, DateTime.UnixEpoch);

    public const string OpeningDepositId = "opening-balance";
}

/// <summary>
/// /user/engine/ledger (persistence id <c>ledger</c>): the account, event-sourced through <see cref="LedgerMachine"/>.
/// Every fill is booked at most once — the machine remembers fill ids — so a report delivered twice (a broker resend,
/// a replayed slice after a crash) changes nothing. The actor does no arithmetic of its own.
/// </summary>
public sealed class LedgerActor : Health.JournalingActor
{
    public const string Id = "ledger";
    private readonly LedgerSettings _settings;
    private LedgerState _state;
    private long _fills, _duplicates, _rejected, _snapshotAt;
    private int _inFlight;
    private bool _opened;

    public LedgerActor(LedgerSettings settings)
    {
        _settings = settings;
        _state = settings.Empty();
        Recover<SnapshotOffer>(offer => { _state = ((LedgerSnapshot)offer.Snapshot).ToState(); _snapshotAt = offer.Metadata.SequenceNr; _opened = true; });
        Recover<ILedgerEvent>(e => { _state = LedgerMachine.Apply(_state, e); _opened = true; });

        Command<BookLedgerEvent>(c =>
        {
            EnsureOpened();
            Book(c.Event, reply: true);
        });
        Command<BookLedgerEvents>(c =>
        {
            EnsureOpened();
            // Each booking is queued as its own atomic write; the handler's writes leave as one journal call.
            foreach (var e in c.Events) Book(e, reply: true);
        });
        Command<UpdateMarks>(c =>
        {
            EnsureOpened();
            // Marks only matter where we hold a position (unrealized P&L, drawdown); flat symbols need no journal rows.
            var accepted = c.Marks.Where(m => !_state.PositionOf(m.Symbol).IsFlat && LedgerMachine.Decide(_state, m).IsAccepted)
                .Cast<ILedgerEvent>().ToList();
            if (accepted.Count > 0) PersistEvents(accepted);
        });
        Command<GetLedgerState>(_ =>
        {
            EnsureOpened();
            var replyTo = Sender;
            DeferAsync(0, _ =>
            {
                MaybeSnapshot();
                replyTo.Tell(View());
            });
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => Log.Warning(f.Cause, "ledger snapshot at #{SequenceNr} failed; recovery will replay more events", f.Metadata.SequenceNr));
    }

    public override string PersistenceId => Id;

    public static Props Props(LedgerSettings settings) => Actors.Props.Create(() => new LedgerActor(settings));

    /// <summary>A new ledger's first event is the opening balance: a journal fact like any other, so a rebuild sees it too.</summary>
    private void EnsureOpened()
    {
        if (_opened) return;
        _opened = true;
        PersistEvents([new CashAdjusted(LedgerSettings.OpeningDepositId, _settings.OpeningBalance, "opening balance", DateTime.UnixEpoch)]);
    }

    /// <summary>
    /// Decided and applied at once, journaled asynchronously: a burst of fills shares group commits instead of queueing
    /// one write each. Nobody sees the state before its events are journaled — replies and <see cref="GetLedgerState"/>
    /// wait for the writes — and a failed write stops the actor, whose recovery reads only what was journaled.
    /// </summary>
    private void Book(ILedgerEvent proposed, bool reply)
    {
        var decision = LedgerMachine.Decide(_state, proposed);
        var replyTo = Sender;
        if (decision.Outcome == LedgerOutcome.Duplicate)
        {
            _duplicates++;
            if (reply) replyTo.Tell(new LedgerBooked(decision.Outcome, decision.Message));
            return;
        }
        if (decision.Outcome == LedgerOutcome.Rejected) _rejected++;
        PersistEvents(decision.Events, last => { if (reply) replyTo.Tell(new LedgerBooked(decision.Outcome, decision.Message)); });
    }

    private void PersistEvents(IReadOnlyList<ILedgerEvent> events, Action<ILedgerEvent>? afterLast = null)
    {
        foreach (var e in events)
        {
            _state = LedgerMachine.Apply(_state, e);
            if (e is FillBooked) _fills++;
        }
        _inFlight += events.Count;
        var last = events[^1];
        PersistAllAsync(events, e =>
        {
            _inFlight--;
            if (ReferenceEquals(e, last)) afterLast?.Invoke(e);
        });
    }

    /// <summary>Only between writes is the in-memory state exactly the journal's up to LastSequenceNr: snapshot then.</summary>
    private void MaybeSnapshot()
    {
        var every = Math.Max(_settings.SnapshotEvery, _state.AppliedEntryIds.Count / LedgerSettings.SnapshotIdsPerEvent);
        if (_inFlight > 0 || LastSequenceNr - _snapshotAt < every) return;
        _snapshotAt = LastSequenceNr;
        SaveSnapshot(LedgerSnapshot.From(_state));
    }

    private LedgerView View() => new(_state, LastSequenceNr, _fills, _duplicates, _rejected);
}
