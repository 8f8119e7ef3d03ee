using System.Text.Json;
using Serilog.Events;

namespace HueyP.Node.Palettes.Logs;

/// <summary>One log event as the CLI shows it.</summary>
public sealed record LogLine(DateTimeOffset Time, string Level, string? ActorPath, string Message, string? Exception);

/// <summary>
/// Reads the newest events of the node's rolling JSON log (the machine-readable sink), filtered by level.
/// Reading the file the node writes keeps one source of truth: what `log tail` shows is what was logged.
/// </summary>
public static class LogTail
{
    public static IReadOnlyList<LogLine> Read(string filePattern, int count, LogEventLevel minimum, DateTimeOffset? after = null)
    {
        var newest = NewestFile(filePattern);
        if (newest is null)
        {
            return [];
        }

        var lines = new List<LogLine>();
        using var stream = new FileStream(newest, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } text)
        {
            if (Parse(text) is { } line && Level(line.Level) >= minimum && (after is null || line.Time > after))
            {
                lines.Add(line);
            }
        }

        return lines.Count <= count ? lines : lines[^count..];
    }

    private static string? NewestFile(string filePattern)
    {
        // Serilog's rolling file "hueyp-.json" becomes "hueyp-20261122.json": match the prefix and extension.
        var folder = Path.GetDirectoryName(Path.GetFullPath(filePattern))!;
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var name = Path.GetFileNameWithoutExtension(filePattern);
        var extension = Path.GetExtension(filePattern);
        return Directory.EnumerateFiles(folder, $"{name}*{extension}").OrderBy(File.GetLastWriteTimeUtc).ThenBy(f => f, StringComparer.Ordinal).LastOrDefault();
    }

    private static LogLine? Parse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var properties = root.TryGetProperty("Properties", out var p) ? p : default;
            return new LogLine(
                root.GetProperty("Timestamp").GetDateTimeOffset(),
                root.TryGetProperty("Level", out var level) ? level.GetString()! : "Information",
                properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("ActorPath", out var path) ? path.GetString() : null,
                root.TryGetProperty("RenderedMessage", out var message) ? message.GetString()! : root.GetProperty("MessageTemplate").GetString()!,
                root.TryGetProperty("Exception", out var exception) ? FirstLine(exception.GetString()) : null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null; // a line cut short by a crash is skipped, not fatal to the reader
        }
    }

    /// <summary>Stack traces stay in the file for engineers; the CLI shows what happened, not where.</summary>
    private static string? FirstLine(string? text) => text?.Split('\n', 2)[0].TrimEnd();

    public static LogEventLevel Level(string name) =>
        Enum.TryParse<LogEventLevel>(name, ignoreCase: true, out var level) ? level : name.ToLowerInvariant() switch
        {
            "warn" or "wrn" => LogEventLevel.Warning,
            "err" or "eror" => LogEventLevel.Error,
            "inf" or "info" => LogEventLevel.Information,
            "dbg" => LogEventLevel.Debug,
            _ => LogEventLevel.Information,
        };
}
