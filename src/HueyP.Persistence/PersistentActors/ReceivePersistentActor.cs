using HueyP.Actors;
using HueyP.Actors.Event;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;
using HueyP.Persistence.Snapshots;

namespace HueyP.Persistence.PersistentActors;

/// <summary>
/// An event-sourced actor with Akka.Persistence's names and semantics: state is rebuilt on start (and after every
/// restart) from the latest snapshot and the events after it; commands wait until recovery has completed; an event is
/// handed to its handler only after its transaction committed, and while a <see cref="Persist{TEvent}"/> is in flight
/// new commands are stashed, so a handler never sees state that a later command changed. The handler runs with the
/// original command's <c>Sender</c>.
/// </summary>
/// <remarks>
/// Failure semantics, as in Akka: a journal write failure (database down, a conflicting writer, a fenced epoch) stops
/// the actor (<see cref="OnPersistFailure"/>) — put a BackoffSupervisor around it and recovery resumes from the journal;
/// an event the journal refuses (not serializable, too large) is skipped (<see cref="OnPersistRejected"/>) and spends
/// no sequence number, so the hash chain has no gap.
/// <para>Beyond Akka (opt-in, <see cref="HoldFailedWrites"/>): an actor that must outlive a journal outage keeps a
/// write that failed because the journal is unreachable and retries it, in order, with backoff. Stopping would not
/// help there: its recovery needs the same unreachable journal, and what it was told meanwhile would be lost. Before a
/// retry the journal's highest sequence number for the stream is read, so a write whose commit succeeded although its
/// answer was lost is never stored twice. A fenced or conflicting write still stops the actor.</para>
/// </remarks>
public abstract class ReceivePersistentActor : ActorBase, IWithUnboundedStash
{
    private readonly Persistence _persistence;
    private List<IHandler>? _configuring = [];
    private IHandler[] _recoverHandlers = [];
    private IHandler[] _commandHandlers = [];
    private bool _inBecome;
    private UnboundedStash _internalStash = null!;
    private Phase _phase = Phase.Recovering;
    private ILoggingAdapter? _log;

    // Persist calls made while handling the current message, flushed as one journal call when it returns.
    private List<WriteGroup> _batch = [];
    // The one journal call in flight; later batches wait for it so handlers run in persist order.
    private List<WriteGroup>? _inFlight;
    private int _pendingStashingInvocations;
    private long _nextSequenceNr = 1;
    private long _replayedSinceTick;
    // The seed this incarnation took from the extension (null: none offered), what became of it, and how many events
    // its recovery replayed, for the seed's report.
    private RecoverySeed? _seed;
    private SeedOutcome? _seedOutcome;
    private long _eventsReplayed;
    private ICancelable? _recoveryTimer;

    // The journal call that failed while the journal was unreachable (HoldFailedWrites): still _inFlight, retried.
    private List<WriteGroup>? _held;
    private int _heldAttempts;
    private DateTimeOffset _heldSince;
    private bool _retrying;
    private ICancelable? _retryTimer;
    // Events whose handlers ran before they were stored (AppliesHeldWritesAtOnce).
    private int _earlyUnstored;

    // Replies from the journal reach whichever incarnation is current; each instance only trusts its own (Akka's
    // instanceId), or a restarted actor would run its predecessor's handlers or finish recovery with its data.
    private readonly object _incarnation = new();

    protected ReceivePersistentActor()
    {
        _persistence = Persistence.Get(Context.System);
    }

    /// <summary>The stream this actor's events are stored under; must be stable across restarts and nodes.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The user stash (separate from the one that holds commands during recovery and Persist).</summary>
    public IStash Stash { get; set; } = null!;

    /// <summary>Sequence number of the last event persisted or replayed.</summary>
    public long LastSequenceNr { get; private set; }

    /// <summary>Sequence number of the snapshot recovery started from, or 0.</summary>
    public long SnapshotSequenceNr { get; private set; }

    public bool IsRecovering => _phase == Phase.Recovering;

    /// <summary>
    /// True only when this incarnation knows its stream has no events yet (e.g. an id minted a moment ago that nothing
    /// could have written under): recovery then completes at once, without asking the journal. Read once, when the
    /// actor starts; a wrong true would hide the stream's events, so the default is false.
    /// </summary>
    protected virtual bool StreamIsKnownEmpty => false;

    /// <summary>
    /// Keep and retry a write that failed because the journal is unreachable, instead of stopping (see the class
    /// remarks). Commands wait behind a held <see cref="Persist{TEvent}"/> as behind any write in flight.
    /// </summary>
    protected virtual bool HoldFailedWrites => false;

    /// <summary>
    /// With <see cref="HoldFailedWrites"/>: run the handlers of held writes (and of writes queued behind them) at once,
    /// so the actor keeps deciding and answering during the outage; the events are stored, in order, when the journal
    /// is back. For an actor whose answers matter more during an outage than the guarantee that what it answered is
    /// already journaled (the mode ladder). Snapshots are refused while its state is ahead of the journal.
    /// </summary>
    protected virtual bool AppliesHeldWritesAtOnce => false;

    /// <summary>Events decided but not yet stored because the journal is unreachable (0 when nothing is held).</summary>
    protected int HeldEvents => _held is null ? _earlyUnstored : CountWrites(_held) + CountWrites(_batch);

    protected ILoggingAdapter Log => _log ??= Context.GetLogger();

    protected PersistenceStore Store => _persistence.Store;

    // ---- handler registration (constructor or Become) ----

    protected void Recover<T>(Action<T> handler) => Add(new Handler<T>(handler, null), recovery: true);

    protected void Command<T>(Action<T> handler) => Add(new Handler<T>(handler, null), recovery: false);

    protected void Command<T>(Predicate<T> shouldHandle, Action<T> handler) => Add(new Handler<T>(handler, shouldHandle), recovery: false);

    /// <summary>The handler returns whether it handled the command.</summary>
    protected void Command<T>(Func<T, bool> handler) => Add(new FuncHandler<T>(handler), recovery: false);

    protected void CommandAny(Action<object> handler) => Add(new Handler<object>(handler, null), recovery: false);

    /// <summary>Replaces the command handlers (recovery handlers stay), like Akka's <c>Become</c> for persistent actors.</summary>
    protected void Become(Action configure)
    {
        var previous = _configuring;
        _configuring = [];
        try
        {
            _inBecome = true;
            configure();
            _commandHandlers = [.. _configuring];
        }
        finally
        {
            _configuring = previous;
            _inBecome = false;
        }
    }

    private void Add(IHandler handler, bool recovery)
    {
        if (_configuring is null)
        {
            throw new InvalidOperationException("Command and Recover can only be called in the constructor or inside Become.");
        }

        if (!recovery)
        {
            _configuring.Add(handler);
        }
        else if (_inBecome)
        {
            throw new InvalidOperationException("Recover handlers can only be registered in the constructor: recovery must rebuild state the same way every time.");
        }
        else
        {
            _recoverHandlers = [.. _recoverHandlers, handler];
        }
    }

    internal override void AfterConstruction()
    {
        _commandHandlers = _configuring is null ? [] : [.. _configuring];
        _configuring = null;
        _internalStash = new UnboundedStash(Cell);
        StartRecovery();
    }

    // ---- persisting ----

    /// <summary>Stores the event; the handler runs once it committed. Commands arriving meanwhile are stashed.</summary>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull =>
        Enqueue([@event], e => handler((TEvent)e), stashing: true);

    /// <summary>Stores all events in one atomic write (all or none); the handler runs for each, in order.</summary>
    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) where TEvent : notnull =>
        Enqueue(events.Cast<object>().ToList(), e => handler((TEvent)e), stashing: true);

    /// <summary>Like Persist, but commands keep flowing while the write is in flight (higher throughput).</summary>
    protected void PersistAsync<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull =>
        Enqueue([@event], e => handler((TEvent)e), stashing: false);

    protected void PersistAllAsync<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) where TEvent : notnull =>
        Enqueue(events.Cast<object>().ToList(), e => handler((TEvent)e), stashing: false);

    /// <summary>Runs the handler after every Persist/PersistAsync called before it, without storing anything.</summary>
    protected void DeferAsync<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull
    {
        ThrowIfRecovering();
        if (_inFlight is null && _batch.Count == 0)
        {
            handler(@event);
            return;
        }

        _batch.Add(new WriteGroup([new Invocation(@event, e => handler((TEvent)e), Sender, Stashing: false, Deferred: true)], null));
    }

    private void Enqueue(IReadOnlyList<object> events, Action<object> handler, bool stashing)
    {
        ThrowIfRecovering();
        if (events.Count == 0)
        {
            return;
        }

        var invocations = new List<Invocation>(events.Count);
        Exception? rejection = null;
        var encoded = new List<SerializedEvent>(events.Count);
        foreach (var @event in events)
        {
            try
            {
                encoded.Add(_persistence.Store.Encode(@event));
            }
            catch (EventSerializationException e)
            {
                rejection ??= e;
            }
        }

        // A refused event spends no sequence number: the journal stays gap-free and its hash chain verifiable.
        for (var i = 0; i < events.Count; i++)
        {
            var sequenceNr = rejection is null ? _nextSequenceNr++ : 0;
            invocations.Add(new Invocation(events[i], handler, Sender, stashing, Deferred: false)
            {
                SequenceNr = sequenceNr,
                Encoded = rejection is null ? encoded[i] : null,
            });
        }

        if (stashing)
        {
            _pendingStashingInvocations += invocations.Count;
        }

        _batch.Add(new WriteGroup(invocations, rejection));
    }

    private void ThrowIfRecovering()
    {
        if (_phase == Phase.Recovering)
        {
            throw new InvalidOperationException($"{PersistenceId}: Persist cannot be called during recovery; recovery handlers rebuild state only.");
        }
    }

    /// <summary>Starts the next journal call when none is in flight.</summary>
    private void Flush()
    {
        if (_held is not null && AppliesHeldWritesAtOnce)
        {
            RunEarly(_batch);
        }

        if (_inFlight is not null || _batch.Count == 0)
        {
            return;
        }

        var groups = _batch;
        _batch = [];
        _inFlight = groups;
        // Plain loops: this runs once per journal call of every persistent actor.
        var persistenceId = PersistenceId;
        var writes = new List<AtomicWrite>(groups.Count);
        foreach (var group in groups)
        {
            if (!group.Writes) continue;
            var reprs = new List<PersistentRepr>(group.Invocations.Count);
            foreach (var invocation in group.Invocations) reprs.Add(new PersistentRepr(invocation.Encoded!, persistenceId, invocation.SequenceNr));
            writes.Add(new AtomicWrite(reprs));
        }
        var self = Self;
        var incarnation = _incarnation;
        var journal = _persistence.Store.Journal;
        // On the SQL journal the write completes on the writer's thread, where ReportWrite (which only tells) runs at once.
        var pending = writes.Count == 0
            ? Task.FromResult<IReadOnlyList<Exception?>>([])
            : journal is SqlJournal sql ? sql.WriteMessagesInlineAsync(writes) : journal.WriteMessagesAsync(writes);
        if (writes.Count > 0)
        {
            _persistence.TrackWrite(PersistenceId, pending);
        }

        // ReportWrite only Tells, so it runs on the thread that completed the write instead of costing another hop.
        var hold = HoldFailedWrites;
        pending.ContinueWith(task => ReportWrite(self, incarnation, groups, task, hold), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Runs off the actor: the journal's answer to a whole write call goes back as one message (not one per event),
    /// whose handlers then run in persist order, each with its own sender.
    /// </summary>
    private static void ReportWrite(IActorRef self, object incarnation, List<WriteGroup> groups, Task<IReadOnlyList<Exception?>> task, bool hold)
    {
        var failure = task.IsFaulted ? task.Exception!.GetBaseException() : task.IsCanceled ? new TaskCanceledException("journal write canceled") : null;
        if (failure is not null && hold && IsOutage(failure))
        {
            self.Tell(new WriteCallHeld(incarnation, groups, failure), ActorRefs.NoSender);
            return;
        }

        self.Tell(new WriteCallDone(incarnation, groups, task.IsCompletedSuccessfully ? task.Result : [], failure), ActorRefs.NoSender);
    }

    /// <summary>The handlers of a finished write call in persist order (as Akka's one reply per event would run them).</summary>
    private void HandleWriteCallDone(WriteCallDone done)
    {
        var cell = Cell;
        var writeIndex = 0;
        try
        {
            foreach (var group in done.Groups)
            {
                var groupResult = group.Rejection;
                if (group.Writes)
                {
                    groupResult = done.Failure is null ? done.Results[writeIndex] : null;
                    writeIndex++;
                }

                foreach (var invocation in group.Invocations)
                {
                    cell.SetCurrentSender(invocation.Sender);
                    HandleInvocationDone(invocation, groupResult, invocation.Deferred ? null : done.Failure);
                    // A failed write stops the actor: nothing after it runs, as a stop would have dropped the rest.
                    if (_phase == Phase.Failed) return;
                }
            }
        }
        finally
        {
            cell.SetCurrentSender(null);
        }

        _inFlight = null;
        if (_held is not null) HeldWritesStored();
        Flush();
    }

    // ---- holding writes through a journal outage ----

    /// <summary>
    /// The journal could not be reached: nothing of the call is known to be stored. A fenced writer or a conflicting
    /// sequence number is not an outage — this actor's state is stale, and only stopping and recovering fixes it.
    /// </summary>
    private static bool IsOutage(Exception failure) =>
        failure is not (WriteFencedException or JournalConflictException or ObjectDisposedException or EventRejectedException);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    private void Hold(List<WriteGroup> groups, Exception cause)
    {
        if (_held is null)
        {
            _heldSince = Context.System.Settings.TimeProvider.GetUtcNow();
            _heldAttempts = 0;
        }

        _held = groups;
        _retrying = false;
        _heldAttempts++;
        var retryIn = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(_heldAttempts - 1, 10)));
        OnWritesHeld(cause, HeldEvents, _heldAttempts, retryIn);
        _retryTimer = Context.System.Scheduler.ScheduleTellOnceCancelable(retryIn, Self, new RetryHeldWrites(_incarnation), ActorRefs.NoSender);
        if (AppliesHeldWritesAtOnce)
        {
            RunEarly(groups);
            RunEarly(_batch);
        }
    }

    /// <summary>
    /// Writes the held call again. Groups the journal already holds (the failed call committed but its answer was lost)
    /// count as stored instead of being written twice; an atomic write is all or nothing, so a group is either there
    /// entirely or not at all.
    /// </summary>
    private void RetryHeld()
    {
        _retrying = true;
        var groups = _held!;
        var self = Self;
        var incarnation = _incarnation;
        var journal = _persistence.Store.Journal;
        var persistenceId = PersistenceId;
        var pending = Task.Run<IReadOnlyList<Exception?>>(async () =>
        {
            var highest = await journal.ReadHighestSequenceNrAsync(persistenceId).ConfigureAwait(false);
            var writes = new List<AtomicWrite>();
            var stored = new List<bool>();
            foreach (var group in groups)
            {
                if (!group.Writes) continue;
                var written = group.Invocations.Where(i => !i.Deferred).ToList();
                if (written[^1].SequenceNr <= highest)
                {
                    stored.Add(true);
                    continue;
                }

                if (written[0].SequenceNr <= highest) throw new JournalConflictException(persistenceId, written[0].SequenceNr, null);
                stored.Add(false);
                writes.Add(new AtomicWrite(written.Select(i => new PersistentRepr(i.Encoded!, persistenceId, i.SequenceNr)).ToList()));
            }

            var answers = writes.Count == 0 ? [] : await journal.WriteMessagesAsync(writes).ConfigureAwait(false);
            var results = new List<Exception?>(stored.Count);
            var next = 0;
            foreach (var already in stored) results.Add(already ? null : answers[next++]);
            return results;
        });
        _persistence.TrackWrite(persistenceId, pending);
        pending.ContinueWith(task => ReportWrite(self, incarnation, groups, task, hold: true), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void HeldWritesStored()
    {
        var heldFor = Context.System.Settings.TimeProvider.GetUtcNow() - _heldSince;
        var attempts = _heldAttempts + 1; // the failed ones and this one
        _held = null;
        _retrying = false;
        _retryTimer?.Cancel();
        OnHeldWritesStored(attempts, heldFor);
    }

    /// <summary>Runs the handlers of not yet stored invocations now (<see cref="AppliesHeldWritesAtOnce"/>); their later success runs nothing twice.</summary>
    private void RunEarly(List<WriteGroup> groups)
    {
        // Handlers may Persist again, which appends to _batch: index over the list as it grows.
        for (var g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            if (group.Rejection is not null) continue;
            foreach (var invocation in group.Invocations)
            {
                if (invocation.HandledEarly) continue;
                invocation.HandledEarly = true;
                if (group.Writes && !invocation.Deferred) _earlyUnstored++;
                if (invocation.Stashing) _pendingStashingInvocations--;
                invocation.Handler(invocation.Event);
            }
        }

        if (_pendingStashingInvocations == 0) _internalStash.UnstashAll();
    }

    private static int CountWrites(List<WriteGroup> groups)
    {
        var count = 0;
        foreach (var group in groups)
        {
            if (group.Writes) count += group.Invocations.Count(i => !i.Deferred);
        }

        return count;
    }

    // ---- snapshots and deletes ----

    protected void SaveSnapshot(object snapshot)
    {
        var metadata = new SnapshotMetadata(PersistenceId, LastSequenceNr, Context.System.Settings.TimeProvider.GetUtcNow().UtcDateTime);
        var self = Self;
        if (_held is not null || _earlyUnstored > 0)
        {
            // The state holds events the journal does not: a snapshot at LastSequenceNr would apply them twice on recovery.
            self.Tell(new SaveSnapshotFailure(metadata, new InvalidOperationException("not saved: the state is ahead of the journal while writes are held")));
            return;
        }

        var store = _persistence.Store.SnapshotStore;
        // Serialized and written off the actor's thread, as Akka's snapshot store does: a snapshot grows with the
        // state, and the actor would otherwise stall its messages for it. The snapshot must not change afterwards.
        Task.Run(() => store.SaveAsync(metadata, snapshot)).ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new SaveSnapshotSuccess(metadata) : new SaveSnapshotFailure(metadata, t.Exception?.GetBaseException() ?? new TaskCanceledException())),
            TaskScheduler.Default);
    }

    protected void DeleteSnapshots(SnapshotSelectionCriteria criteria)
    {
        var self = Self;
        _persistence.Store.SnapshotStore.DeleteAsync(PersistenceId, criteria).ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new DeleteSnapshotsSuccess(criteria) : new DeleteSnapshotsFailure(criteria, t.Exception?.GetBaseException() ?? new TaskCanceledException())),
            TaskScheduler.Default);
    }

    /// <summary>Marks events up to <paramref name="toSequenceNr"/> deleted; the highest sequence number never goes down.</summary>
    protected void DeleteMessages(long toSequenceNr)
    {
        var self = Self;
        _persistence.Store.Journal.DeleteMessagesToAsync(PersistenceId, toSequenceNr).ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new DeleteMessagesSuccess(toSequenceNr) : new DeleteMessagesFailure(toSequenceNr, t.Exception?.GetBaseException() ?? new TaskCanceledException())),
            TaskScheduler.Default);
    }

    // ---- failure hooks ----

    /// <summary>The journal did not store the event (database down, conflicting writer, fenced epoch). Default: log and stop.</summary>
    protected virtual void OnPersistFailure(Exception cause, object @event, long sequenceNr) =>
        Log.Error(cause, "{PersistenceId}: failed to persist {EventType} #{SequenceNr}; stopping (a BackoffSupervisor restarts and recovers it)",
            PersistenceId, @event.GetType().Name, sequenceNr);

    /// <summary>The journal refused the event; it was not stored and its handler does not run. Default: log and go on.</summary>
    protected virtual void OnPersistRejected(Exception cause, object @event, long sequenceNr) =>
        Log.Warning(cause, "{PersistenceId}: event {EventType} was rejected and not stored: {Reason}", PersistenceId, @event.GetType().Name, cause.Message);

    /// <summary>A write failed because the journal is unreachable and is held for a retry (<see cref="HoldFailedWrites"/>). Default: log.</summary>
    protected virtual void OnWritesHeld(Exception cause, int events, int attempt, TimeSpan retryIn) =>
        Log.Warning("{PersistenceId}: journal unreachable, {Events} event(s) held (attempt {Attempt}, next try in {RetryIn}): {Cause}",
            PersistenceId, events, attempt, retryIn, cause.GetBaseException().Message);

    /// <summary>Held writes are stored now. Default: log.</summary>
    protected virtual void OnHeldWritesStored(int attempts, TimeSpan heldFor) =>
        Log.Info("{PersistenceId}: journal reachable again, held events stored after {Attempts} attempt(s) and {HeldFor}", PersistenceId, attempts, heldFor);

    /// <summary>Recovery failed (unreadable event, timeout, database down). Default: log and stop.</summary>
    protected virtual void OnRecoveryFailure(Exception reason, object? message)
    {
        Log.Error(reason, "{PersistenceId}: recovery failed{At}; stopping", PersistenceId, message is null ? "" : $" at {message.GetType().Name}");
        Context.Stop(Self);
    }

    internal override void AroundPreRestart(Exception reason, object? message)
    {
        // Commands held back during recovery or a Persist go back to the mailbox for the next incarnation.
        _recoveryTimer?.Cancel();
        _retryTimer?.Cancel();
        _internalStash.UnstashAll();
        base.AroundPreRestart(reason, message);
    }

    internal override void AroundPostStop()
    {
        _recoveryTimer?.Cancel();
        _retryTimer?.Cancel();
        if (_held is not null)
        {
            Log.Error("{PersistenceId}: stopped with {Events} event(s) never journaled (the journal was unreachable since {Since:O}); its next incarnation recovers without them",
                PersistenceId, HeldEvents, _heldSince);
        }

        foreach (var held in _internalStash.ClearStash())
        {
            Context.System.DeadLetters.Tell(held, ActorRefs.NoSender);
        }

        base.AroundPostStop();
    }

    // ---- message processing ----

    protected internal sealed override bool Receive(object message)
    {
        switch (message)
        {
            case RecoveryMessage recovery:
                if (ReferenceEquals(recovery.Incarnation, _incarnation))
                {
                    HandleRecovery(recovery);
                }

                return true;
            case WriteCallDone callDone:
                if (ReferenceEquals(callDone.Incarnation, _incarnation))
                {
                    HandleWriteCallDone(callDone);
                }

                return true;
            case WriteCallHeld callHeld:
                if (ReferenceEquals(callHeld.Incarnation, _incarnation))
                {
                    Hold(callHeld.Groups, callHeld.Cause);
                }

                return true;
            case RetryHeldWrites retry:
                if (ReferenceEquals(retry.Incarnation, _incarnation) && _held is not null && !_retrying)
                {
                    RetryHeld();
                }

                return true;
        }

        if (_phase != Phase.Processing || _pendingStashingInvocations > 0)
        {
            _internalStash.Stash();
            return true;
        }

        var handled = Dispatch(_commandHandlers, message);
        Flush();
        return handled;
    }

    private void HandleInvocationDone(Invocation invocation, Exception? rejection, Exception? failure)
    {
        if (invocation.HandledEarly)
        {
            // Its handler ran while the journal was unreachable; now it is stored too.
            if (failure is null && !invocation.Deferred)
            {
                LastSequenceNr = invocation.SequenceNr;
                _earlyUnstored--;
            }

            if (failure is null) return;
        }
        else if (invocation.Stashing)
        {
            _pendingStashingInvocations--;
        }

        if (failure is not null)
        {
            // As in Akka the actor stops whatever the hook does: its sequence numbers and state may be ahead of the
            // journal now, and only a recovery makes them agree again.
            try
            {
                OnPersistFailure(failure, invocation.Event, invocation.SequenceNr);
            }
            finally
            {
                _phase = Phase.Failed;
                Context.Stop(Self);
            }

            return;
        }

        if (rejection is not null)
        {
            OnPersistRejected(rejection, invocation.Event, invocation.SequenceNr);
        }
        else
        {
            if (!invocation.Deferred)
            {
                LastSequenceNr = invocation.SequenceNr;
            }

            invocation.Handler(invocation.Event);
        }

        Flush();
        if (_pendingStashingInvocations == 0)
        {
            _internalStash.UnstashAll();
        }
    }

    private static bool Dispatch(IHandler[] handlers, object message)
    {
        foreach (var handler in handlers)
        {
            if (handler.TryHandle(message))
            {
                return true;
            }
        }

        return false;
    }

    // ---- recovery ----

    private void StartRecovery()
    {
        if (StreamIsKnownEmpty)
        {
            Self.Tell(new ReplayFinished(_incarnation, 0));
            return;
        }

        var self = Self;
        var persistenceId = PersistenceId;
        // Taken (consumed) here: a seed serves the first incarnation after it was offered, never a later restart.
        var seed = _seed = _persistence.TakeSeed(persistenceId);
        var store = _persistence.Store;
        var permits = _persistence.RecoveryPermits;
        var incarnation = _incarnation;
        var previousWrite = _persistence.LastWrite(persistenceId);
        _ = Task.Run(async () =>
        {
            await permits.WaitAsync().ConfigureAwait(false);
            try
            {
                // A predecessor's write may still be committing; reading before it lands would hide that event.
                await previousWrite.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                self.Tell(new RecoveryPermitted(incarnation));
                // Events travel to the actor in batches: one message per event cost more than reading and decoding it.
                var buffer = new List<PersistentRepr>(ReplayBatchSize);
                void OnReplayed(PersistentRepr repr)
                {
                    buffer.Add(repr);
                    if (buffer.Count < ReplayBatchSize) return;
                    self.Tell(new Replayed(incarnation, buffer));
                    buffer = new List<PersistentRepr>(ReplayBatchSize);
                }

                // Snapshot, events and highest sequence number on one connection.
                var read = await store.RecoverAsync(persistenceId, seed,
                    (snapshot, outcome) => self.Tell(new SnapshotLoaded(incarnation, snapshot, outcome)), OnReplayed).ConfigureAwait(false);
                if (buffer.Count > 0) self.Tell(new Replayed(incarnation, buffer));
                self.Tell(new ReplayFinished(incarnation, read.HighestSequenceNr));
            }
            catch (Exception e)
            {
                self.Tell(new RecoveryFailed(incarnation, e));
            }
            finally
            {
                permits.Release();
            }
        });
    }

    private void HandleRecovery(RecoveryMessage message)
    {
        if (_phase != Phase.Recovering)
        {
            return; // a late tick after recovery completed
        }

        object? replaying = null;
        try
        {
            switch (message)
            {
                case RecoveryPermitted:
                    // The timeout counts from here: waiting for a permit behind other recoveries is not a stall.
                    var timeout = _persistence.Settings.RecoveryTimeout;
                    _recoveryTimer = Context.System.Scheduler.ScheduleTellRepeatedlyCancelable(timeout, timeout, Self, new RecoveryTick(_incarnation), ActorRefs.NoSender);
                    break;
                case SnapshotLoaded { Snapshot: { } snapshot } loaded:
                    _replayedSinceTick++;
                    _seedOutcome = loaded.Seed;
                    LastSequenceNr = SnapshotSequenceNr = snapshot.Metadata.SequenceNr;
                    OfferSnapshot(snapshot, seeded: loaded.Seed == SeedOutcome.Used);
                    break;
                case SnapshotLoaded loaded:
                    _replayedSinceTick++;
                    _seedOutcome = loaded.Seed;
                    break;
                case Replayed replayed:
                    var serializer = _persistence.Store.Serializer;
                    foreach (var repr in replayed.Reprs)
                    {
                        object payload;
                        try
                        {
                            payload = repr.Payload is UndecodedPayload undecoded
                                ? SqlJournal.Decode(repr.PersistenceId, repr.SequenceNr, undecoded, serializer)
                                : repr.Payload;
                        }
                        catch (EventDecodingException e)
                        {
                            // As when the journal's replay fails to decode: a recovery failure without a message.
                            FailRecovery(e, null);
                            return;
                        }

                        replaying = payload;
                        _replayedSinceTick++;
                        _eventsReplayed++;
                        LastSequenceNr = repr.SequenceNr;
                        Dispatch(_recoverHandlers, payload);
                    }

                    break;
                case ReplayFinished finished:
                    // Deleted events still count: the next event never reuses a sequence number.
                    LastSequenceNr = Math.Max(LastSequenceNr, finished.HighestSequenceNr);
                    _nextSequenceNr = LastSequenceNr + 1;
                    _recoveryTimer?.Cancel();
                    ReportSeed(finished.HighestSequenceNr);
                    // Processing before the handler runs, as in Akka: RecoveryCompleted may Persist (e.g. a correction).
                    _phase = Phase.Processing;
                    Dispatch(_recoverHandlers, RecoveryCompleted.Instance);
                    Flush();
                    if (_pendingStashingInvocations == 0)
                    {
                        _internalStash.UnstashAll();
                    }

                    break;
                case RecoveryFailed failed:
                    FailRecovery(failed.Cause, null);
                    break;
                case RecoveryTick when _replayedSinceTick == 0:
                    FailRecovery(new RecoveryTimedOutException(PersistenceId, _persistence.Settings.RecoveryTimeout), null);
                    break;
                case RecoveryTick:
                    _replayedSinceTick = 0;
                    break;
            }
        }
        catch (RecoverySeedRefusedException)
        {
            // Not a broken journal: thrown on to the supervisor, whose restart recovers without the (consumed) seed.
            _recoveryTimer?.Cancel();
            _phase = Phase.Failed;
            _seedOutcome = SeedOutcome.Refused;
            ReportSeed(0);
            throw;
        }
        catch (Exception e)
        {
            FailRecovery(e, replaying);
        }
    }

    private void OfferSnapshot(SelectedSnapshot snapshot, bool seeded)
    {
        try
        {
            Dispatch(_recoverHandlers, new SnapshotOffer(snapshot.Metadata, snapshot.Snapshot));
        }
        catch (Exception e) when (seeded)
        {
            throw new RecoverySeedRefusedException(PersistenceId, snapshot.Metadata.SequenceNr, e);
        }
    }

    /// <summary>Tells the extension (and the log) what this recovery did with the seed it took, if it took one.</summary>
    private void ReportSeed(long highestSequenceNr)
    {
        if (_seed is not { } seed) return;
        var outcome = _seedOutcome ?? SeedOutcome.Refused;
        _persistence.Report(new SeedReport(PersistenceId, seed.SequenceNr, outcome, SnapshotSequenceNr, _eventsReplayed, highestSequenceNr));
        if (outcome == SeedOutcome.Used)
        {
            Log.Info("{PersistenceId}: recovered from the seed at #{SeedSequenceNr}, replayed {Events} event(s) after it (journal at #{Highest})",
                PersistenceId, seed.SequenceNr, _eventsReplayed, highestSequenceNr);
        }
        else if (outcome == SeedOutcome.Refused)
        {
            Log.Warning("{PersistenceId}: the seed at #{SeedSequenceNr} was refused by the snapshot handler; restarting to recover without it",
                PersistenceId, seed.SequenceNr);
        }
        else if (outcome == SeedOutcome.StoredSnapshotAsNew)
        {
            Log.Info("{PersistenceId}: the seed at #{SeedSequenceNr} was not needed (the stored snapshot is as new); recovered from snapshot #{SnapshotSequenceNr} and {Events} event(s)",
                PersistenceId, seed.SequenceNr, SnapshotSequenceNr, _eventsReplayed);
        }
        else
        {
            Log.Warning("{PersistenceId}: the seed at #{SeedSequenceNr} was not used ({Outcome}); recovered from snapshot #{SnapshotSequenceNr} and {Events} event(s)",
                PersistenceId, seed.SequenceNr, outcome, SnapshotSequenceNr, _eventsReplayed);
        }
    }

    private void FailRecovery(Exception reason, object? message)
    {
        _recoveryTimer?.Cancel();
        _phase = Phase.Failed;
        OnRecoveryFailure(reason, message); // held commands become dead letters when the actor stops
    }

    private enum Phase { Recovering, Processing, Failed }

    private sealed record WriteGroup(List<Invocation> Invocations, Exception? Rejection)
    {
        /// <summary>Goes to the journal: not refused, and not only deferred handlers.</summary>
        public bool Writes { get; } = Rejection is null && Invocations.Exists(i => !i.Deferred);
    }

    private sealed record Invocation(object Event, Action<object> Handler, IActorRef Sender, bool Stashing, bool Deferred)
    {
        public long SequenceNr { get; init; }
        public SerializedEvent? Encoded { get; init; }
        public bool HandledEarly { get; set; }
    }

    private sealed record WriteCallDone(object Incarnation, List<WriteGroup> Groups, IReadOnlyList<Exception?> Results, Exception? Failure);

    private sealed record WriteCallHeld(object Incarnation, List<WriteGroup> Groups, Exception Cause);

    private sealed record RetryHeldWrites(object Incarnation);

    private abstract record RecoveryMessage(object Incarnation);

    private sealed record RecoveryPermitted(object Incarnation) : RecoveryMessage(Incarnation);

    private sealed record SnapshotLoaded(object Incarnation, SelectedSnapshot? Snapshot, SeedOutcome? Seed) : RecoveryMessage(Incarnation);

    private const int ReplayBatchSize = 500;

    private sealed record Replayed(object Incarnation, List<PersistentRepr> Reprs) : RecoveryMessage(Incarnation);

    private sealed record ReplayFinished(object Incarnation, long HighestSequenceNr) : RecoveryMessage(Incarnation);

    private sealed record RecoveryFailed(object Incarnation, Exception Cause) : RecoveryMessage(Incarnation);

    private sealed record RecoveryTick(object Incarnation) : RecoveryMessage(Incarnation);

    private interface IHandler
    {
        bool TryHandle(object message);
    }

    private sealed class Handler<T>(Action<T> handler, Predicate<T>? shouldHandle) : IHandler
    {
        public bool TryHandle(object message)
        {
            if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed)))
            {
                return false;
            }

            handler(typed);
            return true;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> handler) : IHandler
    {
        public bool TryHandle(object message) => message is T typed && handler(typed);
    }
}
