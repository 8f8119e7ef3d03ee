using HueyP.Domain.Broker;
using HueyP.Domain.Market;

namespace HueyP.Engine.Broker;

/// <summary>
/// An order entity hands its order (with stop-loss and take-profit) to the broker; replies <see cref="BrokerRequestQueued"/>.
/// <see cref="IsResend"/>: reconciliation found the broker never received it; a broker that already holds the client
/// order id (a resend racing another) ignores it and just replies.
/// </summary>
public sealed record SubmitToBroker(BrokerOrderRequest Request, DateTime SubmitUtc, bool IsResend = false);

public sealed record BrokerRequestQueued(string ClientOrderId);

/// <summary>Cancel a working order at the broker; the outcome arrives as execution reports.</summary>
public sealed record CancelAtBroker(string ClientOrderId, DateTime TimeUtc);

/// <summary>
/// Replay barrier: the slice's quotes in data-time order (then symbol). The broker merges them with the submissions
/// it holds and replies <see cref="BrokerSliceProcessed"/> after telling every report to orders and ledger.
/// </summary>
public sealed record ProcessBrokerSlice(IReadOnlyList<Quote> Quotes);

public sealed record BrokerSliceProcessed(IReadOnlyList<string> TouchedOrders, int Reports, int Fills);

/// <summary>Replay barrier, last step: persist a checkpoint for the slice (and the environment derived from the ledger).</summary>
public sealed record CommitBrokerSlice(DateTime SliceEndUtc, BarrierEnvironment Environment);

public sealed record BrokerSliceCommitted(DateTime SliceEndUtc);

/// <summary>Replies <see cref="BrokerCursor"/>: how far replay got, and the environment every completed slice handed on.</summary>
public sealed record GetBrokerCursor
{
    public static readonly GetBrokerCursor Instance = new();
}

public sealed record BrokerCursor(DateTime? LastSliceEndUtc, IReadOnlyDictionary<DateTime, BarrierEnvironment> Environments, PaperBrokerState State);

/// <summary>What the decision pipeline learns from the ledger at a barrier (see DecisionEnvironment).</summary>
public sealed record BarrierEnvironment(double DailyDrawdownPct, int OpenPositions, double GrossExposure);

// ---- journal events (persistence id "broker") ----

public sealed record BrokerRequestReceived(BrokerOrderRequest Request, DateTime SubmitUtc);

public sealed record BrokerCancelReceived(string ClientOrderId, DateTime TimeUtc);

/// <summary>Written at each replay barrier; <see cref="State"/> only when the broker changed since the previous one.</summary>
public sealed record BrokerCheckpoint(DateTime SliceEndUtc, BarrierEnvironment Environment, BrokerSnapshot? State);

// ---- live mode ----

/// <summary>Live: one quote, matched on arrival against the book and the submissions received before it.</summary>
public sealed record MatchLiveQuote(Quote Quote);

/// <summary>
/// Journal (live): the matching state after a quote changed it, written before the quote's reports leave, plus the
/// fills and finished orders of that step, which the broker keeps (bounded) to answer reconciliation queries.
/// </summary>
public sealed record BrokerLiveState(DateTime AsOfUtc, BrokerSnapshot State, List<BrokerFillRecord> Fills, List<BrokerOrder> Finished);

/// <summary>
/// Reconciliation: stop matching (quotes and cancels wait, in order) and reply <see cref="BrokerStateReport"/> with
/// what the broker holds. <see cref="ResumeMatching"/> continues; the pause ends by itself after <see cref="MaxPause"/>.
/// </summary>
public sealed record PauseMatching(TimeSpan MaxPause);

public sealed record ResumeMatching
{
    public static readonly ResumeMatching Instance = new();
}

/// <summary>Replies <see cref="BrokerStateReport"/> for one order (its order views and fills) without pausing anything.</summary>
public sealed record QueryBrokerOrder(string ClientOrderId);

/// <summary>
/// What the broker reports: orders (working, and recently finished), fills, positions; and the client ids it has
/// received but not yet put in its book (they are neither accepted nor unknown).
/// </summary>
public sealed record BrokerStateReport(HueyP.Domain.Reconciliation.BrokerSnapshot Snapshot, IReadOnlyList<string> Pending);
