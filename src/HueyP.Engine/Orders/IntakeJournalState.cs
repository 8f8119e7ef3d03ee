using System.Globalization;
using System.Text;
using HueyP.Domain.Orders;
using HueyP.Domain.PreTrade;
using HueyP.Engine.Intents;

namespace HueyP.Engine.Orders;

/// <summary>
/// What the order intake's journal stream (<see cref="OrderIntakeActor.Id"/>) rebuilds: the idempotency registry, the
/// pre-trade memory, the id counters, the symbol holds with their waiting intents, the kill switch. The intake's
/// recovery folds its events into one; a warm standby folds the same events into another
/// (<see cref="IntakeStreamFollower"/>), which is why a copy of it (<see cref="IntakeSnapshot"/>) can seed the
/// intake's recovery. Mutable, owned by one thread at a time.
/// </summary>
public sealed class IntakeJournalState
{
    public IdempotencyRegistry Registry { get; internal set; } = IdempotencyRegistry.Empty;
    public PreTradeState PreTrade { get; internal set; } = PreTradeState.Empty;
    internal Dictionary<(string Strategy, string Symbol), ClientOrderIdSequence> Sequences { get; private init; } = [];
    internal SortedDictionary<string, long> Denied { get; private init; } = new(StringComparer.Ordinal);
    internal SortedSet<string> Ids { get; private init; } = new(StringComparer.Ordinal);
    internal Dictionary<string, SortedSet<string>> Holds { get; private init; } = new(StringComparer.Ordinal);
    internal Dictionary<string, List<SubmitOrderIntent>> Waiting { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Intents whose symbol hold ended; recovery collects every one, the registry turns those already registered into replays.</summary>
    internal List<SubmitOrderIntent> Released { get; private init; } = [];

    public KillSwitchStatus KillSwitch { get; internal set; } = new(false, false, null, null, null);
    public long Submitted { get; internal set; }

    /// <summary>Applies one event of the intake's stream, as its recovery does; anything else is left alone.</summary>
    public void Apply(object @event)
    {
        switch (@event)
        {
            case IntentRegistered e: Apply(e); break;
            case KillSwitchChanged e: Apply(e); break;
            case SymbolHoldRecorded e: Apply(e); break;
            case IntentHeld e: Apply(e); break;
        }
    }

    public void Apply(IntentRegistered e)
    {
        Registry = Registry.Apply(new IdempotencyKeyRecorded(e.Key, e.Fingerprint, e.ClientOrderId, e.TimeUtc));
        if (e.Passed)
            PreTrade = PreTrade.RecordSubmission(new PreTradeOrder(e.ClientOrderId, e.Symbol, e.Side, e.Type, e.Quantity, e.Price, e.ArrivalMid, e.BarTimeUtc), e.TimeUtc);
        ApplyBookkeeping(e);
    }

    /// <summary>Everything a registered intent changes besides the idempotency registry and the pre-trade memory.</summary>
    public void ApplyBookkeeping(IntentRegistered e)
    {
        Ids.Add(e.ClientOrderId);
        // Counter restored from the ids minted so far: the next intent continues the sequence.
        if (ClientOrderId.TryParse(e.ClientOrderId, out var parts))
        {
            var current = SequenceFor(Sequences, e.Strategy, e.Symbol);
            Sequences[(e.Strategy, e.Symbol)] = current with { LastCounter = Math.Max(current.LastCounter, parts.Counter) };
        }
        if (e.Passed)
        {
            Submitted++;
        }
        else
        {
            var code = e.ReasonCode ?? "DENIED";
            Denied[code] = Denied.GetValueOrDefault(code) + 1;
        }
    }

    public void Apply(KillSwitchChanged e)
    {
        KillSwitch = new KillSwitchStatus(e.Active, e.Active && e.CancelAll, e.Reason, e.Who, e.TimeUtc);
        PreTrade = PreTrade.WithKillSwitch(e.Active ? new KillSwitch(true, e.CancelAll, e.Reason) : Domain.PreTrade.KillSwitch.Off);
    }

    public void Apply(IntentHeld e)
    {
        if (!Waiting.TryGetValue(e.Intent.Symbol, out var queue)) Waiting[e.Intent.Symbol] = queue = [];
        queue.Add(new SubmitOrderIntent(e.Intent, null!));
    }

    /// <summary>Returns true when the symbol's last hold ended and its waiting intents moved to <see cref="Released"/>.</summary>
    public bool Apply(SymbolHoldRecorded e)
    {
        if (e.Held)
        {
            if (!Holds.TryGetValue(e.Symbol, out var holders)) Holds[e.Symbol] = holders = new SortedSet<string>(StringComparer.Ordinal);
            holders.Add(e.ClientOrderId);
            return false;
        }
        if (!Holds.TryGetValue(e.Symbol, out var remaining) || !remaining.Remove(e.ClientOrderId) || remaining.Count > 0) return false;
        Holds.Remove(e.Symbol);
        if (!Waiting.Remove(e.Symbol, out var released)) return false;
        Released.AddRange(released);
        return true;
    }

    internal static ClientOrderIdSequence SequenceFor(Dictionary<(string, string), ClientOrderIdSequence> sequences, string strategy, string symbol) =>
        sequences.TryGetValue((strategy, symbol), out var s) ? s : new ClientOrderIdSequence(OrderIntakeActor.IdToken(strategy), symbol);

    /// <summary>An independent copy (the immutable registry and pre-trade memory are shared, every collection is new).</summary>
    public IntakeJournalState Copy() => new()
    {
        Registry = Registry,
        PreTrade = PreTrade,
        Sequences = new Dictionary<(string, string), ClientOrderIdSequence>(Sequences),
        Denied = new SortedDictionary<string, long>(Denied, StringComparer.Ordinal),
        Ids = new SortedSet<string>(Ids, StringComparer.Ordinal),
        Holds = Holds.ToDictionary(h => h.Key, h => new SortedSet<string>(h.Value, StringComparer.Ordinal), StringComparer.Ordinal),
        Waiting = Waiting.ToDictionary(w => w.Key, w => new List<SubmitOrderIntent>(w.Value), StringComparer.Ordinal),
        Released = [.. Released],
        KillSwitch = KillSwitch,
        Submitted = Submitted,
    };

    /// <summary>A canonical rendering of everything above: two states render alike exactly when they decide alike.</summary>
    public string Render()
    {
        var sb = new StringBuilder("intake/v1\n");
        foreach (var (key, entry) in Registry.Entries)
            sb.Append("key ").Append(key).Append('|').Append(entry.PayloadFingerprint).Append('|').Append(entry.Result).Append('|').Append(Ticks(entry.RecordedUtc)).Append('\n');
        sb.Append("recent ").AppendJoin(',', PreTrade.RecentOrders.Select(Ticks)).Append('\n');
        foreach (var (symbol, times) in PreTrade.RecentOrdersBySymbol) sb.Append("recent ").Append(symbol).Append(' ').AppendJoin(',', times.Select(Ticks)).Append('\n');
        sb.Append("cancels ").AppendJoin(',', PreTrade.RecentCancels.Select(Ticks)).Append('\n');
        sb.Append("sent ").AppendJoin(',', PreTrade.SentClientOrderIds).Append('\n');
        sb.Append("shapes ").AppendJoin(',', PreTrade.SentOrderShapes).Append('\n');
        foreach (var (symbol, control) in PreTrade.Symbols) sb.Append("control ").Append(symbol).Append(' ').Append(control).Append('\n');
        sb.Append("pretrade-kill ").Append(PreTrade.KillSwitch).Append('\n');
        foreach (var ((strategy, symbol), sequence) in Sequences.OrderBy(s => s.Key.Strategy, StringComparer.Ordinal).ThenBy(s => s.Key.Symbol, StringComparer.Ordinal))
            sb.Append("sequence ").Append(strategy).Append('|').Append(symbol).Append('|').Append(sequence).Append('\n');
        foreach (var (code, count) in Denied) sb.Append("denied ").Append(code).Append(' ').Append(count).Append('\n');
        sb.Append("ids ").AppendJoin(',', Ids).Append('\n');
        foreach (var (symbol, holders) in Holds.OrderBy(h => h.Key, StringComparer.Ordinal)) sb.Append("hold ").Append(symbol).Append(' ').AppendJoin(',', holders).Append('\n');
        foreach (var (symbol, queue) in Waiting.OrderBy(w => w.Key, StringComparer.Ordinal))
            sb.Append("waiting ").Append(symbol).Append(' ').AppendJoin(',', queue.Select(q => OrderIntakeActor.KeyOf(q.Intent))).Append('\n');
        sb.Append("released ").AppendJoin(',', Released.Select(r => OrderIntakeActor.KeyOf(r.Intent))).Append('\n');
        sb.Append("kill ").Append(KillSwitch.Active).Append('|').Append(KillSwitch.CancelAll).Append('|').Append(KillSwitch.Reason).Append('|')
            .Append(KillSwitch.Who).Append('|').Append(KillSwitch.ChangedUtc is { } changed ? Ticks(changed) : "").Append('\n');
        sb.Append("submitted ").Append(Submitted).Append('\n');
        return sb.ToString();
    }

    private static string Ticks(DateTime time) => time.Ticks.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The intake's state at a sequence number of its stream, as a <see cref="Persistence.PersistentActors.SnapshotOffer"/>
/// carries it. Held in memory only (a warm standby's recovery seed); the intake saves no snapshots of its own.
/// </summary>
public sealed class IntakeSnapshot
{
    private readonly IntakeJournalState _state;

    private IntakeSnapshot(IntakeJournalState state) => _state = state;

    public static IntakeSnapshot From(IntakeJournalState state) => new(state.Copy());

    /// <summary>A state of its own for the recovering intake: the snapshot itself never changes.</summary>
    public IntakeJournalState ToState() => _state.Copy();
}
