using HueyP.Domain.Decisions;
using HueyP.Domain.Policy;

namespace HueyP.Engine.Decisions;

/// <summary>Why a signal produced no order, as short keys a summary can count (e.g. "REJECT market_closed").</summary>
public static class RejectionReasons
{
    public static IEnumerable<string> Of(DecisionRecord record)
    {
        if (record.OrderIntent is not null) yield break;
        if (record.Reentry.Outcome is { } outcome && outcome != Domain.Reentry.ReentryOutcome.Allowed)
        {
            yield return "reentry " + outcome;
            yield break;
        }

        var verdict = record.Policy.Verdict;
        if (verdict is PolicyVerdict.Reject or PolicyVerdict.Review)
        {
            var any = false;
            foreach (var reason in record.Policy.Reasons)
            {
                if (reason.Verdict != verdict) continue;
                any = true;
                yield return $"{verdict.ToString().ToUpperInvariant()} {reason.Code}";
            }

            if (any) yield break;
        }

        yield return "quantity rounds to zero";
    }
}
