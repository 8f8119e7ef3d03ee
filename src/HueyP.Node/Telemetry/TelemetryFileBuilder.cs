using HueyP.Domain.Breakers;

namespace HueyP.Node.Telemetry;

/// <summary>The state files' contents from <see cref="TelemetryState"/>; pure, so each rule is a unit test.</summary>
public static class TelemetryFileBuilder
{
    public static NavFile Nav(TelemetryState s, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (s.Ledger is not { } ledger || s.LedgerAt is not { } at)
        {
            return new NavFile(NavFile.Version, null, null, Stale: true, [], ["ledger"], now, null, null, null, null, null, null);
        }

        var age = Math.Max(0, (now - at).TotalSeconds);
        var state = ledger.State;
        return new NavFile(NavFile.Version, TelemetryText.Finite(state.Nav), age, age > staleAfter.TotalSeconds, ["ledger"], [], now, at,
            TelemetryText.Finite(state.Cash), TelemetryText.Finite(state.UnrealizedPnl), TelemetryText.Finite(state.RealizedPnl),
            TelemetryText.Finite(state.DailyPnl), state.Options.AccountCurrency);
    }

    public static PositionsFile Positions(TelemetryState s, DateTimeOffset now)
    {
        if (s.Ledger is not { } ledger) return new PositionsFile(PositionsFile.Version, now, null, null);
        var state = ledger.State;
        var lines = state.Positions.Values.Select(p =>
        {
            state.Marks.TryGetValue(p.Symbol, out var mark);
            return new PositionLine(p.Symbol, TelemetryText.Finite(p.Quantity), TelemetryText.Finite(p.AveragePrice),
                TelemetryText.Finite(mark?.Bid), TelemetryText.Finite(mark?.Ask), TelemetryText.Finite(state.UnrealizedPnlOf(p.Symbol)),
                TelemetryText.Finite(p.RealizedPnl), TelemetryText.Finite(state.ExposureOf(p.Symbol)));
        }).ToList();
        return new PositionsFile(PositionsFile.Version, now, "ledger", lines);
    }

    public static RiskSnapshotFile Risk(TelemetryState s, DateTimeOffset now)
    {
        double? dd = null, maxDd = null, dailyLoss = null;
        double? nav = null;
        if (s.Ledger is { } ledger)
        {
            var state = ledger.State;
            nav = TelemetryText.Finite(state.Nav);
            dd = state.PeakNav > 0 ? Fraction(state.CurrentDrawdown / state.PeakNav) : 0;
            maxDd = Fraction(state.MaxDrawdownFraction);
            // A daily gain is no loss: the fraction is of the session's opening NAV, never negative.
            dailyLoss = state.SessionOpenNav > 0 ? Fraction(Math.Max(0, -state.DailyPnl) / state.SessionOpenNav) : null;
        }

        var perSymbol = new SortedDictionary<string, SymbolRisk>(StringComparer.Ordinal);
        foreach (var (symbol, status) in s.Symbols)
        {
            double? quantity = null, exposure = null, exposureFrac = null;
            if (s.Ledger is { } l && l.State.Positions.TryGetValue(symbol, out var p))
            {
                quantity = TelemetryText.Finite(p.Quantity);
                exposure = TelemetryText.Finite(l.State.ExposureOf(symbol));
                exposureFrac = nav is > 0 && exposure is { } e ? TelemetryText.Finite(Math.Abs(e) / nav.Value) : null;
            }

            perSymbol[symbol] = new SymbolRisk(status.State.ToString().ToUpperInvariant(), quantity, exposure, exposureFrac);
        }

        var vetoes = s.Recorder?.RejectionsByReason.Where(kv => TelemetryState.IsRiskReason(kv.Key))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value) ?? [];
        return new RiskSnapshotFile(RiskSnapshotFile.Version, now, dd, maxDd, dailyLoss, s.Mode?.ModeName, s.Mode?.Permissions.AllowsNewEntries, perSymbol, vetoes);
    }

    /// <summary>A fraction stays a fraction: 0.03 for 3%, clamped to 0..1, never NaN.</summary>
    private static double? Fraction(decimal value) => TelemetryText.Finite((double)value) is { } v ? Math.Clamp(v, 0, 1) : null;

    public static RouterHealthFile Router(TelemetryState s, DateTimeOffset now)
    {
        var known = new SortedSet<string>(StringComparer.Ordinal) { "socket", "pipe", "spool" };
        if (s.ActiveTransport is { } active) known.Add(active);
        var transports = known.Select(name =>
        {
            var isActive = string.Equals(name, s.ActiveTransport, StringComparison.OrdinalIgnoreCase);
            var bridge = s.Bridge?.Transports.FirstOrDefault(t => TelemetryState.TransportName(t.Kind) == name);
            var status = bridge is not null ? (isActive ? "active" : bridge.IsUp ? "standby" : "down")
                : s.ActiveTransport is null ? "unknown" : isActive ? "active" : "standby";
            return bridge is null
                ? new TransportHealth(name, status, isActive, null, null, null, null, null, null)
                : new TransportHealth(name, status, isActive, TelemetryText.Finite(bridge.Latency?.TotalMilliseconds), TelemetryState.DropRate(bridge),
                    bridge.Drops, bridge.Failures, s.ReceivedPerSecond(bridge.Kind), s.Text.CleanOrNull(bridge.LastError));
        }).ToList();
        var onFallback = s.ActiveTransport is null ? (bool?)null : !string.Equals(s.ActiveTransport, s.PrimaryTransport, StringComparison.OrdinalIgnoreCase);
        var outbox = s.Bridge is { } b
            ? new OutboxHealth(b.PendingOutbox, b.OldestPendingAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0, null, null)
            : null;
        return new RouterHealthFile(RouterHealthFile.Version, now, s.ActiveTransport, s.PrimaryTransport, onFallback, s.FallbackRatio(now),
            s.ScoresAt(now).Comm, transports, s.LastRoute, outbox);
    }

    public static KpisFile Kpis(TelemetryState s, DateTimeOffset now)
    {
        var ticks = s.Symbols.Values.Sum(v => v.Quotes);
        var rates = s.Symbols.Keys.Order(StringComparer.Ordinal).ToDictionary(k => k, s.TicksPerSecond, StringComparer.Ordinal);
        var recorder = s.Recorder;
        var signals = recorder?.Signals ?? s.Symbols.Values.Sum(v => v.Signals);
        var intents = recorder?.Intents ?? s.Symbols.Values.Sum(v => v.Intents);
        var rejections = recorder?.RejectionsByReason.Values.Sum() ?? Math.Max(0, signals - intents);
        return new KpisFile(KpisFile.Version, now, s.UptimeSeconds(now), ticks, rates, signals, intents, rejections,
            signals > 0 ? (double)intents / signals : null, s.Fills, TelemetryText.Finite(s.Ledger?.State.RealizedPnl),
            TelemetryText.Finite(s.Ledger?.State.Nav), s.Ledger is { } l ? Fraction(l.State.MaxDrawdownFraction) : null,
            s.ModeTransitions, s.TimeInNormalFraction(now));
    }

    public static ExecutionHealthFile Execution(TelemetryState s, DateTimeOffset now)
    {
        var breakers = s.Breakers.Values.Select(b => new BreakerLine(b.Dependency, StatusName(b.Status), b.Level?.ToString(), b.OpenUntil,
            b.RecentFailures, b.TimesOpened, s.Text.CleanOrNull(b.LastCause))).ToList();
        return new ExecutionHealthFile(ExecutionHealthFile.Version, now, s.Mode?.ModeName, breakers, s.Recorder?.WriteErrors ?? 0, s.DeadLetters,
            s.Symbols.Values.Sum(v => (long)v.Restarts), s.RestartsByActorType, s.Errors);
    }

    /// <summary>closed, open, half_open: the admin API's spelling.</summary>
    public static string StatusName(BreakerStatus status) => HueyP.Node.Palettes.Modes.ModeWire.Snake(status.ToString());
}
