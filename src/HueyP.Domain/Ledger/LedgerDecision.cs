namespace HueyP.Domain.Ledger;

public enum LedgerOutcome { Accepted, Duplicate, Rejected }

public sealed record LedgerDecision(LedgerOutcome Outcome, IReadOnlyList<ILedgerEvent> Events, string? Message)
{
    public bool IsAccepted => Outcome == LedgerOutcome.Accepted;
}
