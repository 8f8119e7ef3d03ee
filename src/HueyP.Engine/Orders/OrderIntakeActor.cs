using System.Collections.Immutable;
using HueyP.Actors;
using HueyP.Domain.Market;
using HueyP.Domain.Modes;
using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;
using HueyP.Domain.Trading;
using HueyP.Engine.Health;
using HueyP.Engine.Intents;
using HueyP.Engine.Modes;
using HueyP.Persistence.PersistentActors;

namespace HueyP.Engine.Orders;

/// <summary>
/// The intake's journal fact: an intent was turned into an order id (idempotency key, fingerprint, the minted id) and
/// what the pre-trade checks said. Replaying these rebuilds the idempotency registry, every id counter and the
/// pre-trade memory (rates, duplicates) exactly.
/// </summary>
public sealed record IntentRegistered(
    string Key, string Fingerprint, string ClientOrderId, string Strategy, string Symbol, Side Side, OrderType Type,
    decimal Quantity, decimal? Price, decimal ArrivalMid, DateTime BarTimeUtc, DateTime TimeUtc,
    bool Passed, string? ReasonCode, string? Detail);

/// <summary>Replay barrier: process every buffered intent in canonical order; replies <see cref="IntentsFlushed"/>.</summary>
public sealed record FlushIntents
{
    public static readonly FlushIntents Instance = new();
}

public enum IntentOutcomeKind { Submitted, Denied, Replayed, Conflict, Invalid }

public sealed record IntentOutcome(string Key, IntentOutcomeKind Kind, string? ClientOrderId, string? ReasonCode, string? Detail);

/// <summary>Every order of the batch is journaled (and, unless denied, with the broker) when this arrives.</summary>
public sealed record IntentsFlushed(IReadOnlyList<IntentOutcome> Outcomes);

/// <summary>Replies <see cref="IntakeStats"/>.</summary>
public sealed record GetIntakeStats
{
    public static readonly GetIntakeStats Instance = new();
}

public sealed record IntakeStats(
    long Orders, long Submitted, long Replayed, long Conflicts, IReadOnlyDictionary<string, long> DeniedByReason,
    IReadOnlyList<string> ClientOrderIds)
{
    /// <summary>Intents waiting because their symbol has an order whose outcome is unknown.</summary>
    public int Held { get; init; }

    /// <summary>Symbols on hold, each with the unresolved orders holding it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> HeldSymbols { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>Replies <see cref="IntakeStateView"/>: what the intake's journal stream has rebuilt, rendered canonically.</summary>
public sealed record GetIntakeState
{
    public static readonly GetIntakeState Instance = new();
}

/// <summary><see cref="IntakeJournalState.Render"/> of the intake's state, and the sequence number it reflects.</summary>
public sealed record IntakeStateView(string Rendering, long SequenceNr);

/// <summary>Journal (intake stream): an order's outcome became unknown (or was resolved), so its symbol holds (or not).</summary>
public sealed record SymbolHoldRecorded(string Symbol, string ClientOrderId, bool Held);

/// <summary>Journal (intake stream): an intent kept while its symbol holds; it becomes an order when the hold ends.</summary>
public sealed record IntentHeld(OrderIntent Intent);

/// <summary>Journal (intake stream): the kill switch was turned on or off, by whom and why. Survives restarts.</summary>
public sealed record KillSwitchChanged(bool Active, bool CancelAll, string Reason, string Who, DateTime TimeUtc);

/// <summary>Turn the kill switch on or off; replies <see cref="KillSwitchStatus"/> once journaled (cancel-all is a separate <see cref="CancelAllOrders"/>).</summary>
public sealed record SetKillSwitch(bool Active, bool CancelAll, string Reason, string Who, DateTime TimeUtc);

/// <summary>Replies <see cref="KillSwitchStatus"/>.</summary>
public sealed record GetKillSwitch
{
    public static readonly GetKillSwitch Instance = new();
}

public sealed record KillSwitchStatus(bool Active, bool CancelAll, string? Reason, string? Who, DateTime? ChangedUtc);

/// <summary>Request a cancel of every working order; replies <see cref="CancelAllResult"/> once every request was journaled.</summary>
public sealed record CancelAllOrders(DateTime TimeUtc);

public sealed record CancelAllResult(IReadOnlyList<string> Requested, IReadOnlyDictionary<string, string> Failed);

public sealed record OrderIntakeSettings
{
    public PreTradeOptions PreTrade { get; init; } = PreTradeOptions.Default;

    /// <summary>
    /// Replay: intents wait for the slice barrier and are processed sorted by (decision time, symbol, strategy), so
    /// rate limits and duplicate checks see the same sequence whatever the thread timing. Live: processed on arrival.
    /// </summary>
    public bool BufferUntilFlush { get; init; } = true;

    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Units of the base currency in one lot. The pipeline sizes intents in lots (the MT4 convention); orders, the
    /// broker and the ledger count units, so this is the one place lots become units (100,000 for an FX standard lot).
    /// </summary>
    public decimal UnitsPerLot { get; init; } = 100_000m;

    /// <summary>
    /// The mode actor asked for the current mode once the intake recovered (a restart would otherwise wait for the next
    /// ModeChanged); null asks nobody (a replay has no mode actor). Later changes arrive on the EventStream either way.
    /// </summary>
    public string? ModeActorPath { get; init; }

    /// <summary>The order side's book: cancel-all reads the working orders from it; null asks every order.</summary>
    public OrderBookView? Book { get; init; }
}

/// <summary>
/// /user/engine/intake (persistence id <c>order-intake</c>): where APPROVEd intents become orders. Mints deterministic
/// client order ids (<see cref="ClientOrderIdSequence"/>, restored from the journal), applies idempotency
/// (<see cref="OrderIntake"/>: the same intent again gets its original id back and sends nothing) and
/// <see cref="PreTradeChecks"/> (the reason code is journaled with the order), then hands the order to its entity.
/// </summary>
public sealed class OrderIntakeActor : Health.JournalingActor
{
    public const string Id = "order-intake";
    private readonly OrderIntakeSettings _settings;
    private readonly IActorRef _orders;
    private readonly IntakeMemory _memory;
    // Everything the journal rebuilds (released intents included: rebuilt by every incarnation, so not in the memory).
    private IntakeJournalState _state = new();
    private long _replayed, _conflicts;
    private bool _awaitingMode;

    private readonly FreshOrderIds? _fresh;

    public OrderIntakeActor(OrderIntakeSettings settings, IActorRef orders, FreshOrderIds? fresh = null, IntakeMemory? memory = null)
    {
        _settings = settings;
        _orders = orders;
        _fresh = fresh;
        _memory = memory ?? new IntakeMemory();
        // A warm standby's seed (the intake saves no snapshots of its own): the state its stream folds to at that point.
        Recover<SnapshotOffer>(offer => _state = ((IntakeSnapshot)offer.Snapshot).ToState());
        Recover<IntentRegistered>(e => _state.Apply(e));
        Recover<KillSwitchChanged>(e => _state.Apply(e));
        Recover<SymbolHoldRecorded>(e => _state.Apply(e));
        Recover<IntentHeld>(e => _state.Apply(e));
        // Intents released before a crash but not yet registered come back: the registry turns the others into replays.
        // Intents that arrived before a crash and were never flushed are still in the memory.
        Recover<RecoveryCompleted>(_ =>
        {
            AskMode();
            if (PendingCount > 0 && !_settings.BufferUntilFlush && !_awaitingMode) Flush(ActorRefs.Nobody);
            ConfirmHolds();
        });
        Command<ModeChanged>(c =>
        {
            LearnMode(ModePermissions.For(c.To), c.At);
            ModeKnown();
        });
        Command<ModeStatus>(s =>
        {
            LearnMode(s.Permissions, s.AsOf);
            ModeKnown();
        });
        Command<ModeUnanswered>(u =>
        {
            Log.Warning("the mode actor did not say the mode ({Error}); entries follow the last mode this intake heard of", u.Error);
            ModeKnown();
        });
        Command<SubmitOrderIntent>(c =>
        {
            // A symbol with an unresolved order waits: its intents are journaled and kept, in arrival order, until it is resolved.
            if (_state.Holds.ContainsKey(c.Intent.Symbol))
            {
                Persist(new IntentHeld(c.Intent), e => _state.Apply(e));
                return;
            }
            _memory.Unflushed.Add(c);
            if (!_settings.BufferUntilFlush && !_awaitingMode) Flush(ActorRefs.Nobody);
        });
        Command<SymbolHoldChanged>(c =>
        {
            var known = _state.Holds.TryGetValue(c.Symbol, out var holders) && holders.Contains(c.ClientOrderId);
            if (known == c.Held) return;
            Persist(new SymbolHoldRecorded(c.Symbol, c.ClientOrderId, c.Held), e =>
            {
                if (_state.Apply(e) && !_settings.BufferUntilFlush && !_awaitingMode) Flush(ActorRefs.Nobody);
            });
        });
        Command<SetKillSwitch>(c =>
        {
            var replyTo = Sender;
            Persist(new KillSwitchChanged(c.Active, c.CancelAll, c.Reason, c.Who, c.TimeUtc), e =>
            {
                _state.Apply(e);
                replyTo.Tell(_state.KillSwitch);
            });
        });
        Command<GetKillSwitch>(_ => Sender.Tell(_state.KillSwitch));
        Command<CancelAllOrders>(c => CancelAll(c, Sender));
        Command<FlushIntents>(_ =>
        {
            try
            {
                Flush(Sender);
            }
            catch (Exception e)
            {
                // Never leave the barrier waiting: the replay fails with the reason instead of timing out.
                Sender.Tell(new Status.Failure(e));
                throw;
            }
        });
        Command<GetIntakeStats>(_ => Sender.Tell(new IntakeStats(_state.Ids.Count, _state.Submitted, _replayed, _conflicts,
            new SortedDictionary<string, long>(_state.Denied, StringComparer.Ordinal), _state.Ids.ToList())
        {
            Held = _state.Waiting.Values.Sum(q => q.Count),
            HeldSymbols = _state.Holds.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value.ToList(), StringComparer.Ordinal),
        }));
        Command<GetIntakeState>(_ => Sender.Tell(new IntakeStateView(_state.Render(), LastSequenceNr)));
    }

    public override string PersistenceId => Id;

    /// <summary>
    /// Every incarnation of the intake gets the same <paramref name="memory"/>: pass the owner's one (the order side's);
    /// without one, these Props create one of their own, so use them for a single intake.
    /// </summary>
    public static Props Props(OrderIntakeSettings settings, IActorRef orders, FreshOrderIds? fresh = null, IntakeMemory? memory = null)
    {
        var kept = memory ?? new IntakeMemory();
        return Actors.Props.Create(() => new OrderIntakeActor(settings, orders, fresh, kept));
    }

    protected override void PreStart()
    {
        base.PreStart();
        Context.System.EventStream.Subscribe(Self, typeof(ModeChanged));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        base.PostStop();
    }

    private int PendingCount => _memory.Unflushed.Count + _state.Released.Count;

    /// <summary>
    /// After a restart the mode may be DEGRADED_EXEC or SAFE_MODE with no ModeChanged to come: live intents wait (in
    /// the memory) until the mode actor has said which mode it is, so none slips through in between.
    /// </summary>
    private void AskMode()
    {
        if (_settings.ModeActorPath is not { } path) return;
        _awaitingMode = true;
        Context.ActorSelection(path).Ask<ModeStatus>(GetMode.Instance, _settings.AskTimeout)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : (object)new ModeUnanswered(t.Exception?.GetBaseException().Message ?? "canceled"),
                TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void ModeKnown()
    {
        if (!_awaitingMode) return;
        _awaitingMode = false;
        if (PendingCount > 0 && !_settings.BufferUntilFlush) Flush(ActorRefs.Nobody);
    }

    private sealed record ModeUnanswered(string Error);

    /// <summary>A reply to the recovery question may arrive after a newer ModeChanged: the newest word wins.</summary>
    private void LearnMode(ModePermissions permissions, DateTimeOffset asOf)
    {
        if (_memory.PermissionsAsOf is { } known && asOf < known) return;
        _memory.Permissions = permissions;
        _memory.PermissionsAsOf = asOf;
    }

    /// <summary>
    /// DEGRADED_EXEC and SAFE_MODE allow no new entries. Every intent is an entry (an OrderIntent carries no exit flag);
    /// exits are each order's own stop-loss and take-profit and the operators' cancels, which never pass through here.
    /// </summary>
    private PreTradeVerdict? ModeVerdict() => _memory.Permissions is { AllowsNewEntries: false } p
        ? PreTradeVerdict.Block(p.Mode == Mode.SafeMode ? PreTradeReasonCodes.ModeSafeMode : PreTradeReasonCodes.ModeDegradedExec,
            $"the engine is in {p.Mode.Display()}: no new entries")
        : null;

    public static string KeyOf(OrderIntent intent) =>
        $"{intent.Strategy}|{intent.Symbol}|{intent.DecisionTimeUtc.Ticks}|{intent.Side}";

    private void Flush(IActorRef replyTo)
    {
        var batch = _memory.Unflushed.Concat(_state.Released).Select(b => b.Intent)
            .OrderBy(i => i.DecisionTimeUtc).ThenBy(i => i.Symbol, StringComparer.Ordinal).ThenBy(i => i.Strategy, StringComparer.Ordinal)
            .ThenBy(KeyOf, StringComparer.Ordinal).ToList();
        // The arrived intents stay in the memory until their facts are journaled: a crash before that flushes them
        // again in the next incarnation (those already registered come back as replays). Commands wait while
        // persisting, so nothing is added to the memory before the removal.
        var taken = _memory.Unflushed.Count;
        _state.Released.Clear();

        // Decide the whole batch on a copy of the state, in canonical order; persist; then apply the same facts.
        var registry = _state.Registry;
        var preTrade = _state.PreTrade;
        var sequences = new Dictionary<(string, string), ClientOrderIdSequence>(_state.Sequences);
        var outcomes = new List<IntentOutcome>();
        var events = new List<IntentRegistered>();
        var creates = new List<CreateOrder>();
        var replays = new List<string>();
        foreach (var lots in batch)
        {
            var intent = lots with { Quantity = lots.Quantity * _settings.UnitsPerLot };
            var key = KeyOf(intent);
            var sequence = IntakeJournalState.SequenceFor(sequences, intent.Strategy, intent.Symbol);
            var now = intent.DecisionTimeUtc;
            var result = OrderIntake.Accept(registry, sequence, key, intent, now);
            switch (result.Outcome)
            {
                case OrderIntakeOutcome.Replayed:
                    outcomes.Add(new IntentOutcome(key, IntentOutcomeKind.Replayed, result.ClientOrderId, PreTradeReasonCodes.DuplicateOrderBlock, "intent already turned into an order; nothing sent"));
                    replays.Add(result.ClientOrderId!);
                    continue;
                case OrderIntakeOutcome.Conflict:
                    outcomes.Add(new IntentOutcome(key, IntentOutcomeKind.Conflict, result.ClientOrderId, PreTradeReasonCodes.DuplicateOrderBlock, result.Error));
                    continue;
                case OrderIntakeOutcome.Invalid:
                    outcomes.Add(new IntentOutcome(key, IntentOutcomeKind.Invalid, null, PreTradeReasonCodes.InvalidOrder, result.Error));
                    continue;
            }

            var init = (OrderInitialized)result.Initialization!.Events[0];
            var order = new PreTradeOrder(init.ClientOrderId, init.Symbol, init.Side, init.Type, init.Quantity, init.LimitPrice, init.ArrivalMid, init.BarTimeUtc);
            // The decision quote, as far as the intake knows it: the arrival mid the pipeline decided on.
            var quote = new Quote(intent.Symbol, now, intent.ArrivalMid, intent.ArrivalMid);
            // The kill switch is the operator's word and keeps its own reason; otherwise the mode comes before the checks.
            var verdict = (preTrade.KillSwitch.Active ? null : ModeVerdict()) ?? PreTradeChecks.EvaluateOrder(preTrade, _settings.PreTrade, order, quote, now);
            var fact = new IntentRegistered(key, result.KeyRecorded!.PayloadFingerprint, init.ClientOrderId, init.Strategy, init.Symbol,
                init.Side, init.Type, init.Quantity, init.LimitPrice, init.ArrivalMid, init.BarTimeUtc, now, verdict.Passed, verdict.ReasonCode, verdict.Detail);
            events.Add(fact);
            registry = registry.Apply(result.KeyRecorded);
            sequences[(intent.Strategy, intent.Symbol)] = result.Sequence;
            if (verdict.Passed) preTrade = preTrade.RecordSubmission(order, now);
            creates.Add(new CreateOrder(init, verdict));
            outcomes.Add(new IntentOutcome(key, verdict.Passed ? IntentOutcomeKind.Submitted : IntentOutcomeKind.Denied, init.ClientOrderId, verdict.ReasonCode, verdict.Detail));
        }

        _replayed += replays.Count;
        _conflicts += outcomes.Count(o => o.Kind == IntentOutcomeKind.Conflict);
        if (events.Count == 0)
        {
            _memory.Unflushed.RemoveRange(0, taken);
            Complete(replyTo, creates, replays, outcomes);
            return;
        }
        var last = events[^1];
        PersistAll(events, e =>
        {
            // The registry and the pre-trade memory were just decided from exactly these facts (commands wait while
            // persisting, so nothing else changed them): adopt them rather than recompute them per event.
            _state.ApplyBookkeeping(e);
            if (!ReferenceEquals(e, last)) return;
            _state.Registry = registry;
            _state.PreTrade = preTrade;
            _memory.Unflushed.RemoveRange(0, taken);
            Complete(replyTo, creates, replays, outcomes);
        });
    }

    /// <summary>Every new order journaled by its entity (and sent), every replayed one checked, then the reply.</summary>
    private void Complete(IActorRef replyTo, List<CreateOrder> creates, List<string> replays, List<IntentOutcome> outcomes)
    {
        // Journaled just now under a newly minted id: its entity may skip asking the journal.
        if (_fresh is not null)
            foreach (var create in creates) _fresh.Add(create.ClientOrderId);
        var created = _orders.AskAll<OrderCreated>(creates, _settings.AskTimeout);
        var ensured = _orders.AskAll<OrderStateReply>(replays.ConvertAll(id => (object)new EnsureSubmitted(id)), _settings.AskTimeout);
        if (replyTo.IsNobody()) return;
        var reply = new IntentsFlushed(outcomes);
        var self = Self;
        // Told from the thread that completed the last answer: a reply is only a Tell, not worth two more thread-pool hops.
        Task.WhenAll(created, ensured).ContinueWith(t => replyTo.Tell(t.IsCompletedSuccessfully ? reply : new Status.Failure(t.Exception!.GetBaseException()), self),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// A hold journaled before a restart is checked with its order: one resolved while the intake was down (its release
    /// never arrived) is released now, so a symbol can never stay held by an order that holds nothing.
    /// </summary>
    private void ConfirmHolds()
    {
        var self = Self;
        foreach (var (symbol, ids) in _state.Holds)
        {
            foreach (var id in ids)
            {
                _orders.Ask<OrderStateReply>(new GetOrderState(id), _settings.AskTimeout).ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully && t.Result.State is not { HoldsSymbol: true })
                        self.Tell(new SymbolHoldChanged(symbol, id, false), ActorRefs.NoSender);
                }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Asks the orders that are working (by the order book; without one, every order the intake ever created) for their
    /// state and cancels those still working: the book spares starting the entities of finished orders.
    /// </summary>
    private void CancelAll(CancelAllOrders c, IActorRef replyTo)
    {
        var orders = _orders;
        var timeout = _settings.AskTimeout;
        var ids = _settings.Book is { } book ? book.Book().Working.Select(o => o.ClientOrderId).ToList() : _state.Ids.ToList();
        Task.Run(async () =>
        {
            var states = await Task.WhenAll(ids.Select(id => orders.Ask<OrderStateReply>(new GetOrderState(id), timeout))).ConfigureAwait(false);
            var working = states.Where(s => s.State is { IsWorking: true } && s.State.Status != OrderStatus.PendingCancel).Select(s => s.ClientOrderId).ToList();
            var results = await Task.WhenAll(working.Select(id => orders.Ask<CancelOrderResult>(new CancelOrder(id, c.TimeUtc), timeout))).ConfigureAwait(false);
            return new CancelAllResult(results.Where(r => r.Requested).Select(r => r.ClientOrderId).ToList(),
                results.Where(r => !r.Requested).ToDictionary(r => r.ClientOrderId, r => r.Error ?? "refused", StringComparer.Ordinal));
        }).PipeTo(replyTo);
    }

    /// <summary>Strategy names like "ema-crossover-rsi" become the id token EMACROSSOVERRSI (ids allow letters and digits only).</summary>
    public static string IdToken(string strategy)
    {
        var token = new string(strategy.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return token.Length == 0 ? "STRATEGY" : token;
    }
}
