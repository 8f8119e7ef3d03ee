namespace HueyP.Node.Telemetry;

// The JSON shapes of run/state/*.json (snake_case through AdminWire). Every number is finite or null; fractions are
// fractions (a 3% drawdown is 0.03); a figure whose source is not running is null. Bump a file's Schema when a field
// changes meaning or goes away; adding a field keeps it.

public sealed record NavFile(
    int Schema, double? NavTotal, double? NavAgeS, bool Stale, IReadOnlyList<string> SourcesOk, IReadOnlyList<string> SourcesMissing,
    DateTimeOffset UpdatedAt, DateTimeOffset? NavAt, double? Cash, double? UnrealizedPnl, double? RealizedPnl, double? DailyPnl, string? Currency)
{
    public const int Version = 1;
}

public sealed record PositionsFile(int Schema, DateTimeOffset UpdatedAt, string? Source, IReadOnlyList<PositionLine>? Positions)
{
    public const int Version = 1;
}

public sealed record PositionLine(string Symbol, double? Quantity, double? AveragePrice, double? MarkBid, double? MarkAsk, double? UnrealizedPnl, double? RealizedPnl, double? Exposure);

public sealed record RiskSnapshotFile(
    int Schema, DateTimeOffset UpdatedAt, double? DdFrac, double? MaxDdFrac, double? DailyLossFrac, string? RiskMode, bool? EntriesAllowed,
    IReadOnlyDictionary<string, SymbolRisk> PerSymbol, IReadOnlyDictionary<string, long> VetoesByReason)
{
    public const int Version = 1;
}

public sealed record SymbolRisk(string? State, double? Quantity, double? Exposure, double? ExposureFrac);

public sealed record RouterHealthFile(
    int Schema, DateTimeOffset UpdatedAt, string? ActiveTransport, string PrimaryTransport, bool? OnFallback, double? FallbackRatio, double? HealthScore,
    IReadOnlyList<TransportHealth> Transports, RouteChangeLine? LastChange, OutboxHealth? Outbox)
{
    public const int Version = 1;
}

/// <summary>One transport as the bridge router sees it; <see cref="Failures"/> counts its restarts, <see cref="ReceivedPerS"/> what came in (acks included).</summary>
public sealed record TransportHealth(string Name, string Status, bool Active, double? LatencyMs, double? DropRate, long? Drops, long? Failures, double? ReceivedPerS, string? LastError);

public sealed record RouteChangeLine(DateTimeOffset At, string? From, string? To, string Reason);

public sealed record OutboxHealth(long? Depth, double? OldestAgeS, double? EnqueuePerS, double? DequeuePerS);

public sealed record KpisFile(
    int Schema, DateTimeOffset UpdatedAt, double UptimeS, long Ticks, IReadOnlyDictionary<string, double?> TicksPerS, long Signals, long Intents,
    long Rejections, double? IntentFrac, long? Fills, double? RealizedPnl, double? Nav, double? MaxDdFrac, long ModeTransitions, double? TimeInNormalFrac)
{
    public const int Version = 1;
}

public sealed record ExecutionHealthFile(
    int Schema, DateTimeOffset UpdatedAt, string? Mode, IReadOnlyList<BreakerLine> Breakers, long DecisionWriteErrors, long DeadLetters,
    long SymbolRestarts, IReadOnlyDictionary<string, long> RestartsByActorType, IReadOnlyList<ErrorLine> RecentErrors)
{
    public const int Version = 1;
}

public sealed record BreakerLine(string Dependency, string Status, string? Level, DateTimeOffset? OpenUntil, int RecentFailures, int TimesOpened, string? LastCause);

public sealed record ErrorLine(DateTimeOffset At, string Source, string Message);

/// <summary>One line of events.jsonl and of the dashboard's incident timeline.</summary>
public sealed record TelemetryEvent(
    DateTimeOffset At, string Kind, string Severity, string Summary, IReadOnlyList<string>? Why = null, string? From = null, string? To = null)
{
    public const int Schema = 1;
}

/// <summary>One line of risk_vetoes.jsonl: signals refused for a risk reason since the previous line.</summary>
public sealed record RiskVetoLine(DateTimeOffset At, string Reason, long Count, long Total);

/// <summary>One line of orders_executed.jsonl.</summary>
public sealed record OrderExecutedLine(DateTimeOffset At, string? ClientOrderId, string Symbol, string Side, double? Quantity, double? Price, string? FillId);
