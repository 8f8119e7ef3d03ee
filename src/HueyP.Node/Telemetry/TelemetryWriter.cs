using System.Text;
using System.Text.Json;
using HueyP.Node.Admin;
using HueyP.Node.Files;

namespace HueyP.Node.Telemetry;

/// <summary>
/// Writes the state files (each whole, atomically: temporary file then rename) and appends to the logs (one JSON
/// object per line, never rewritten). JSON through <see cref="AdminWire"/>: snake_case, non-finite numbers as null.
/// <see cref="Prepare"/> turns the state into text on the caller's thread (the telemetry actor: the state is its own);
/// <see cref="Commit"/> does the I/O, which the actor leaves to <see cref="TelemetryWriteLoop"/>.
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

    /// <summary>The files' text as of <paramref name="now"/>, and the log lines gathered since the last call (drained).</summary>
    public TelemetryBatch Prepare(TelemetryState state, DateTimeOffset now) => new(PrepareState(state, now), PrepareLogs(state));

    private IReadOnlyList<(string Name, string Text)> PrepareState(TelemetryState state, DateTimeOffset now) =>
        [
            (NavFileName, Json(TelemetryFileBuilder.Nav(state, now, settings.NavStaleAfter))),
            (PositionsFileName, Json(TelemetryFileBuilder.Positions(state, now))),
            (RiskFileName, Json(TelemetryFileBuilder.Risk(state, now))),
            (RouterFileName, Json(TelemetryFileBuilder.Router(state, now))),
            (KpisFileName, Json(TelemetryFileBuilder.Kpis(state, now))),
            (ExecutionFileName, Json(TelemetryFileBuilder.Execution(state, now))),
        ];

    /// <summary>
    /// Appends the lines, each log on its own (a log the disk refuses keeps its lines in <c>Unwritten</c> for the next
    /// try, and the others are not written twice), then replaces the state files when the batch has them. The first
    /// error is returned, not thrown: what could be written is written.
    /// </summary>
    public (TelemetryLogLines Unwritten, Exception? Error) Commit(TelemetryBatch batch)
    {
        Exception? error = null;
        var events = TryAppend(EventsLogName, batch.Logs.Events, ref error);
        var vetoes = TryAppend(VetoesLogName, batch.Logs.Vetoes, ref error);
        var orders = TryAppend(OrdersLogName, batch.Logs.Orders, ref error);
        if (batch.StateFiles is { } files)
        {
            try
            {
                foreach (var (name, text) in files) AtomicFile.WriteAllText(Path.Combine(StateDir, name), text);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error ??= e;
            }
        }

        return (new TelemetryLogLines(events, vetoes, orders), error);
    }

    public void WriteState(TelemetryState state, DateTimeOffset now) => ThrowIfFailed(Commit(new TelemetryBatch(PrepareState(state, now), TelemetryLogLines.Empty)));

    /// <summary>Appends what the state gathered since the last call; creates the logs empty so readers can tail them from the start.</summary>
    public void AppendLogs(TelemetryState state) => ThrowIfFailed(Commit(new TelemetryBatch(null, PrepareLogs(state))));

    private static void ThrowIfFailed((TelemetryLogLines Unwritten, Exception? Error) result)
    {
        if (result.Error is { } e) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
    }

    /// <summary>The text left unwritten: empty when appended, all of it when the disk refused.</summary>
    private string TryAppend(string name, string text, ref Exception? error)
    {
        try
        {
            Append(name, text);
            return "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error ??= e;
            return text;
        }
    }

    private static TelemetryLogLines PrepareLogs(TelemetryState state) => new(
        Lines(state.DrainEvents().Select(e => (object)new { schema = TelemetryEvent.Schema, e.At, e.Kind, e.Severity, e.Summary, e.Why, e.From, e.To })),
        Lines(state.DrainVetoes().Select(v => (object)new { schema = 1, v.At, v.Reason, v.Count, v.Total })),
        Lines(state.DrainExecutions().Select(l => (object)new { schema = 1, l.At, l.ClientOrderId, l.Symbol, l.Side, l.Quantity, l.Price, l.FillId })));

    private static string Json<T>(T content) => JsonSerializer.Serialize(content, AdminWire.Options) + "\n";

    private static string Lines(IEnumerable<object> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(JsonSerializer.Serialize(line, AdminWire.Options)).Append('\n');
        return text.ToString();
    }

    private void Append(string name, string text)
    {
        Directory.CreateDirectory(LogsDir);
        using var stream = new FileStream(Path.Combine(LogsDir, name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        if (text.Length == 0) return;
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush();
    }
}

/// <summary>One write: the state files' text (null: none, only log lines) and the lines to append.</summary>
public sealed record TelemetryBatch(IReadOnlyList<(string Name, string Text)>? StateFiles, TelemetryLogLines Logs);

/// <summary>JSONL text per log, each ending in a newline or empty.</summary>
public sealed record TelemetryLogLines(string Events, string Vetoes, string Orders)
{
    public static TelemetryLogLines Empty { get; } = new("", "", "");

    public bool IsEmpty => Length == 0;

    public long Length => (long)Events.Length + Vetoes.Length + Orders.Length;

    public TelemetryLogLines Then(TelemetryLogLines later) => new(Events + later.Events, Vetoes + later.Vetoes, Orders + later.Orders);
}
