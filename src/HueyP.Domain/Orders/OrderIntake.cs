using HueyP.Domain.Trading;

namespace HueyP.Domain.Orders;

/// <summary>What happened to an intent at the door: a new order, a replay of an earlier one, or a refusal.</summary>
public enum OrderIntakeOutcome { Created, Replayed, Conflict, Invalid }

public sealed record OrderIntakeResult(
    OrderIntakeOutcome Outcome,
    string? ClientOrderId,
    string? Error,
    ClientOrderIdSequence Sequence,
    IdempotencyKeyRecorded? KeyRecorded,
    OrderDecision? Initialization);

/// <summary>
/// Idempotent order creation: a replayed intent gets its original client order id back and produces no events,
/// so nothing is ever sent twice; a new intent mints the next id and its OrderInitialized.
/// </summary>
public static class OrderIntake
{
    public static OrderIntakeResult Accept(IdempotencyRegistry registry, ClientOrderIdSequence sequence,
        string idempotencyKey, OrderIntent intent, DateTime nowUtc)
    {
        var fingerprint = IdempotencyRegistry.Fingerprint(intent);
        var check = registry.Check(idempotencyKey, fingerprint);
        if (check.Outcome != IdempotencyOutcome.New)
        {
            var outcome = check.Outcome == IdempotencyOutcome.Replay ? OrderIntakeOutcome.Replayed : OrderIntakeOutcome.Conflict;
            return new(outcome, check.OriginalResult, check.Error, sequence, null, null);
        }

        var (id, next) = sequence.Mint(intent.BarTimeUtc);
        var initialization = OrderMachine.Initialize(intent, id, nowUtc);
        if (!initialization.IsAccepted)
            return new(OrderIntakeOutcome.Invalid, null, initialization.Error, sequence, null, initialization);
        return new(OrderIntakeOutcome.Created, id, null, next,
            new IdempotencyKeyRecorded(idempotencyKey, fingerprint, id, nowUtc), initialization);
    }
}
