using System.Text;
using System.Text.Json;
using HueyP.Node.Admin;
using HueyP.Node.Files;

namespace HueyP.Node.Telemetry;

/// <summary>
/// Writes the state files (each whole, atomically: temporary file then rename) and appends to the logs (one JSON
/// object per line, never rewritten). JSON through <see cref="AdminWire"/>: snake_case, non-finite numbers as null.
/// </summary>
public sealed class TelemetryWriter(TelemetrySettings settings)
{
    public const string NavFileName = "nav.json";
    public const string PositionsFileName = "positions.json";
    public const string RiskFileName = "risk_snapshot.json";
    public const string RouterFileName = "router_health.json";
    public const string KpisFileName = "kpis.json";
    public const string ExecutionFileName = "execution_health.json";
    public const string EventsLogName = "events.jsonl";
    public const string OrdersLogName = "orders_executed.jsonl";
    public const string VetoesLogName = "risk_vetoes.jsonl";

    public string StateDir { get; } = settings.StateDir;
    public string LogsDir { get; } = settings.LogsDir;

    public void WriteState(TelemetryState state, DateTimeOffset now)
    {
        WriteJson(NavFileName, TelemetryFileBuilder.Nav(state, now, settings.NavStaleAfter));
        WriteJson(PositionsFileName, TelemetryFileBuilder.Positions(state, now));
        WriteJson(RiskFileName, TelemetryFileBuilder.Risk(state, now));
        WriteJson(RouterFileName, TelemetryFileBuilder.Router(state, now));
        WriteJson(KpisFileName, TelemetryFileBuilder.Kpis(state, now));
        WriteJson(ExecutionFileName, TelemetryFileBuilder.Execution(state, now));
    }

    /// <summary>Appends what the state gathered since the last call; creates the logs empty so readers can tail them from the start.</summary>
    public void AppendLogs(TelemetryState state)
    {
        Append(EventsLogName, state.DrainEvents().Select(e => (object)new { schema = TelemetryEvent.Schema, e.At, e.Kind, e.Severity, e.Summary, e.Why, e.From, e.To }));
        Append(VetoesLogName, state.DrainVetoes().Select(v => (object)new { schema = 1, v.At, v.Reason, v.Count, v.Total }));
        Append(OrdersLogName, state.DrainExecutions().Select(l => (object)new { schema = 1, l.At, l.ClientOrderId, l.Symbol, l.Side, l.Quantity, l.Price, l.FillId }));
    }

    private void WriteJson<T>(string name, T content) =>
        AtomicFile.WriteAllText(Path.Combine(StateDir, name), JsonSerializer.Serialize(content, AdminWire.Options) + "\n");

    private void Append(string name, IEnumerable<object> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(JsonSerializer.Serialize(line, AdminWire.Options)).Append('\n');
        Directory.CreateDirectory(LogsDir);
        using var stream = new FileStream(Path.Combine(LogsDir, name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        if (text.Length == 0) return;
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        stream.Write(bytes);
        stream.Flush();
    }
}
