using System.Globalization;
using System.Text;
using HueyP.Domain.Ledger;
using HueyP.Domain.Orders;

namespace HueyP.Domain.Reconciliation;

public enum FindingKind
{
    MissedFill,
    MissedAcceptance,
    CanceledAtBroker,
    UnknownToBroker,
    UnsentResent,
    OrphanAtBroker,
    PositionMismatch,
    NeedsReview,
}

/// <summary>One difference between journal and broker, with what reconciliation did or asks a human to do.</summary>
public sealed record ReconciliationFinding(string Id, FindingKind Kind, string Subject, string Journal, string Broker, string Action);

/// <summary>
/// The outcome of one reconciliation run: findings for humans, synthetic events for the journal. Applying the events
/// and running again with the same broker snapshot yields a clean report (no findings needing action, no events).
/// </summary>
public sealed record ReconciliationReport(
    DateTime AsOfUtc,
    IReadOnlyList<ReconciliationFinding> Findings,
    IReadOnlyList<IOrderEvent> OrderEvents,
    IReadOnlyList<ILedgerEvent> LedgerEvents)
{
    /// <summary>
    /// Submitted orders the broker never received, recent enough to be sent again (each has an
    /// <see cref="FindingKind.UnsentResent"/> finding and no event): whoever applies the report sends them.
    /// </summary>
    public IReadOnlyList<string> ToResend { get; init; } = [];

    public bool IsClean => Findings.Count == 0 && OrderEvents.Count == 0 && LedgerEvents.Count == 0;

    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Reconciliation as of {AsOfUtc:yyyy-MM-dd HH:mm:ss} UTC: ");
        if (IsClean) return sb.Append("journal and broker agree.\n").ToString();
        sb.Append(CultureInfo.InvariantCulture, $"{Findings.Count} difference(s), {OrderEvents.Count} order event(s), {LedgerEvents.Count} ledger event(s)\n");
        foreach (var f in Findings)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  [{f.Id}] {f.Kind} {f.Subject}\n");
            sb.Append(CultureInfo.InvariantCulture, $"      journal: {f.Journal}\n");
            sb.Append(CultureInfo.InvariantCulture, $"      broker:  {f.Broker}\n");
            sb.Append(CultureInfo.InvariantCulture, $"      action:  {f.Action}\n");
        }
        return sb.ToString();
    }
}
