using System.Globalization;
using HueyP.Domain.Agents;
using HueyP.Domain.Breakers;
using HueyP.Domain.Health;
using HueyP.Domain.Modes;

namespace HueyP.Node.Telemetry;

/// <summary>Builds the dashboard's <see cref="TelemetrySnapshot"/> from <see cref="TelemetryState"/>; pure.</summary>
public static class TelemetrySnapshotBuilder
{
    public static TelemetrySnapshot Build(TelemetryState s, DateTimeOffset now, TelemetrySettings settings, long version)
    {
        var scores = s.ScoresAt(now);
        var router = TelemetryFileBuilder.Router(s, now);
        var risk = TelemetryFileBuilder.Risk(s, now);
        var kpis = TelemetryFileBuilder.Kpis(s, now);
        var symbols = s.Symbols.Values.OrderBy(v => v.Symbol, StringComparer.Ordinal).Select(v => new SymbolSection(
            v.Symbol, v.State.ToString().ToUpperInvariant(), v.Quotes, s.TicksPerSecond(v.Symbol), v.Signals, v.Intents, v.Restarts, v.LastQuoteUtc)).ToList();
        var decisions = s.Recorder is { } r
            ? new DecisionSection(r.Signals, r.Intents, new SortedDictionary<string, long>(r.RejectionsByReason.ToDictionary(), StringComparer.Ordinal), r.WriteErrors, r.Hash)
            : null;
        var breakers = TelemetryFileBuilder.Execution(s, now).Breakers;
        var agents = s.Agents?.Agents.OrderBy(a => a.Agent, StringComparer.Ordinal).Select(a => new AgentSection(a.Agent, a.Votes,
            a.LatestBySymbol.OrderBy(v => v.Symbol, StringComparer.Ordinal).Select(v => new VoteLine(v.Symbol, v.DecisionTimeUtc, v.Vote.Action.Name(),
                TelemetryText.Finite(v.Vote.Confidence), s.Text.Clean(v.Vote.Reason), AgentVoteNames.IsVeto(v.Vote.Action))).ToList())).ToList();
        var cards = new[]
        {
            Card("Market quality", scores.Signal, MarketMetrics(s, now), s.Mode?.Conditions.Where(c => c.Path == HealthPath.Signal).Select(c => s.Text.Clean(c.Cause)) ?? [],
                "check the data feed: newest quote age and rejected rows"),
            Card("Risk", scores.Risk, RiskMetrics(risk), s.Mode?.Conditions.Where(c => c.Kind == ConditionKind.RiskVeto).Select(c => s.Text.Clean(c.Cause)) ?? [],
                "review drawdown and exposure; entries stay held while a risk veto is active"),
            Card("System health", scores.Exec, SystemMetrics(s), s.Breakers.Values.Where(b => b.Status != BreakerStatus.Closed)
                .Select(b => s.Text.Clean($"breaker {b.Dependency} {TelemetryFileBuilder.StatusName(b.Status)}: {b.LastCause}")),
                "look at the open breakers and the restarts; `hueyp breakers` shows when each retries"),
            Card("Broker connectivity", scores.Comm, CommMetrics(s, router),
                (router.OnFallback == true ? [$"traffic on {router.ActiveTransport}, not {router.PrimaryTransport}"] : Array.Empty<string>())
                    .Concat(s.Mode?.Conditions.Where(c => c.Path == HealthPath.Comm).Select(c => s.Text.Clean(c.Cause)) ?? []),
                "repair the primary transport; the router switches back once it answers"),
        };
        return new TelemetrySnapshot(version, now, ModeOf(s), new ScoreSection(scores.Overall, cards, s.ScoreHistory, scores.Source), symbols, decisions,
            breakers, router, agents, TelemetryFileBuilder.Nav(s, now, settings.NavStaleAfter), TelemetryFileBuilder.Positions(s, now), risk, kpis,
            s.BusiestActors, s.RestartsByActorType, s.RecentEvents.TakeLast(100).Reverse().ToList(), Slo(s, router, now), kpis.Ticks,
            s.KillSwitch is { } k ? new KillSwitchSection(k.Active, k.Reason, k.Who, k.ChangedUtc) : null, s.OrdersByState,
            s.Cluster is { } c ? new ClusterSection(c.Role, c.Epoch, TelemetryText.Finite(c.LeaseValidForMs), c.LastLoss, c.Error) : null);
    }

    private static SloSection Slo(TelemetryState s, RouterHealthFile router, DateTimeOffset now)
    {
        var l = s.Latencies;
        return new SloSection(Round(l.TickToDecisionP99Ms), Round(l.OrderAckP99Ms), Round(l.JournalWriteP99Ms),
            router.Transports.FirstOrDefault(t => t.Active)?.LatencyMs, s.ErrorBudgetLeft(now));
    }

    private static double? Round(double? ms) => ms is { } v ? TelemetryText.Finite(Math.Round(v, 3)) : null;

    private static GateCard Card(string name, double? score, IReadOnlyList<string> metrics, IEnumerable<string> failing, string advice)
    {
        var band = GateCard.BandOf(score);
        var failingList = failing.Take(5).ToList();
        var next = band switch
        {
            "na" => "no source on this node yet",
            "green" => "nothing to do",
            _ => advice,
        };
        return new GateCard(name, score is { } v ? Math.Round(v, 1) : null, band, metrics, failingList, next);
    }

    private static IReadOnlyList<string> MarketMetrics(TelemetryState s, DateTimeOffset now)
    {
        var rate = s.Symbols.Keys.Select(s.TicksPerSecond).Where(v => v is not null).Sum(v => v!.Value);
        var newest = s.Symbols.Values.Where(v => v.LastQuoteUtc is not null).Select(v => v.LastQuoteUtc!.Value).DefaultIfEmpty().Max();
        return
        [
            $"ticks/s {rate.ToString("0.#", CultureInfo.InvariantCulture)}",
            newest == default ? "newest quote n/a" : $"newest quote {Math.Max(0, (now.UtcDateTime - newest).TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture)} s ago",
        ];
    }

    private static IReadOnlyList<string> RiskMetrics(RiskSnapshotFile risk) =>
    [
        risk.DdFrac is { } dd ? $"drawdown {(dd * 100).ToString("0.##", CultureInfo.InvariantCulture)}%" : "drawdown n/a",
        risk.DailyLossFrac is { } dl ? $"daily loss {(dl * 100).ToString("0.##", CultureInfo.InvariantCulture)}%" : "daily loss n/a",
        $"risk vetoes {risk.VetoesByReason.Values.Sum()}",
    ];

    private static IReadOnlyList<string> SystemMetrics(TelemetryState s) =>
    [
        $"breakers open {s.Breakers.Values.Count(b => b.Status == BreakerStatus.Open)} of {s.Breakers.Count}",
        $"restarts {s.RestartsByActorType.Values.Sum()}",
        $"dead letters {s.DeadLetters}",
    ];

    private static IReadOnlyList<string> CommMetrics(TelemetryState s, RouterHealthFile router) =>
    [
        $"route {router.ActiveTransport ?? "n/a"}",
        router.FallbackRatio is { } f ? $"on fallback {(f * 100).ToString("0.#", CultureInfo.InvariantCulture)}% of uptime" : "fallback n/a",
    ];

    private static ModeSection? ModeOf(TelemetryState s)
    {
        if (s.Mode is not { } m) return null;
        var conditions = m.Conditions.Select(c => new ConditionLine(c.Key, c.Kind.ToString(), c.Mode.Display(), c.Path?.ToString(), s.Text.Clean(c.Cause), c.Since)).ToList();
        // "Why?" names the hold like any other cause; it goes first when it is what sets the mode.
        if (m.Hold is { } hold)
        {
            var line = new ConditionLine("operator.hold", "OperatorHold", Mode.DegradedExec.Display(), null,
                s.Text.Clean($"new entries held by {hold.Who}: {hold.Reason}"), hold.Since);
            conditions.Insert(m.LadderMode < Mode.DegradedExec ? 0 : conditions.Count, line);
        }
        var last = m.LastTransition is { } t ? new TransitionLine(t.At, t.From.Display(), t.To.Display(), t.Causes.Select(s.Text.Clean).ToList()) : null;
        return new ModeSection(m.ModeName, conditions, m.Permissions.AllowsNewEntries, m.Permissions.Transport.ToString(), m.Permissions.SignalSource.ToString(),
            m.RecoveryEta, m.DwellRemaining?.TotalSeconds, last, Runbook(s, m),
            m.Hold is { } h ? new HoldLine(s.Text.Clean(h.Who), s.Text.Clean(h.Reason), h.Since) : null);
    }

    /// <summary>Where the repair of the worst condition stands: detected, rerouted, verified, dwell, switch back.</summary>
    private static RepairStep[] Runbook(TelemetryState s, HueyP.Engine.Modes.ModeStatus m)
    {
        if (m.Mode == Mode.Normal || m.Conditions.Count == 0) return [];
        var worst = m.Conditions[0];
        var steps = new List<RepairStep> { new($"detected: {s.Text.Clean(worst.Cause)}", "done") };
        if (worst.Path == HealthPath.Comm || worst.Kind == ConditionKind.TransportBudgetExhausted)
        {
            var rerouted = s.ActiveTransport is { } a && !string.Equals(a, s.PrimaryTransport, StringComparison.OrdinalIgnoreCase);
            steps.Add(new RepairStep($"traffic rerouted to {s.ActiveTransport ?? "fallback"}", rerouted ? "done" : "pending"));
        }

        var verified = worst.Path is { } path && m.VerifiedAt.TryGetValue(path, out var at) && at >= worst.Since;
        steps.Add(new RepairStep(worst.Mode == Mode.SafeMode ? "operator clear (hueyp mode clear)" : "primary path verified", verified ? "done" : "running"));
        steps.Add(new RepairStep(m.DwellRemaining is { } d ? $"dwell, {d.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s left" : "dwell", m.DwellSince is not null ? "running" : "pending"));
        steps.Add(new RepairStep("switch back to NORMAL", "pending"));
        return [.. steps];
    }
}
