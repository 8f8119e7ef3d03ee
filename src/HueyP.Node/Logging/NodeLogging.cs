using Serilog;
using Serilog.Events;
using Serilog.Core;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;
using Serilog.Sinks.SystemConsole.Themes;

namespace HueyP.Node.Logging;

/// <summary>Levels for the whole node and per namespace; where the machine-readable log goes.</summary>
public sealed record LoggingSettings(
    LogEventLevel Level = LogEventLevel.Information,
    IReadOnlyDictionary<string, LogEventLevel>? Overrides = null,
    string FilePath = "run/logs/hueyp-.json",
    bool Console = true);

/// <summary>
/// Serilog for people and machines: a short coloured console line with the actor path, and a rolling JSON file.
/// </summary>
public static class NodeLogging
{
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {ActorPath} {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger Create(LoggingSettings settings, SecretScrubber scrubber, TextWriter? console = null)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(settings.Level)
            .Enrich.FromLogContext()
            .Enrich.With(scrubber)
            .WriteTo.File(new JsonFormatter(renderMessage: true), settings.FilePath, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, shared: true);
        foreach (var (ns, level) in settings.Overrides ?? new Dictionary<string, LogEventLevel>())
        {
            configuration.MinimumLevel.Override(ns, level);
        }

        if (settings.Console)
        {
            configuration = console is null
                ? configuration.WriteTo.Console(outputTemplate: ConsoleTemplate, theme: AnsiConsoleTheme.Code, standardErrorFromLevel: LogEventLevel.Warning)
                : configuration.WriteTo.Sink(new TextWriterSink(console, new MessageTemplateTextFormatter(ConsoleTemplate)));
        }

        return configuration.CreateLogger();
    }
}

/// <summary>Console-style lines into any writer, for embedding a node (tests, the replay command's own output).</summary>
internal sealed class TextWriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
