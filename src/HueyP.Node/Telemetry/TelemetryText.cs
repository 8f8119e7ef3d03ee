using HueyP.Node.Logging;

namespace HueyP.Node.Telemetry;

/// <summary>
/// What may leave the engine as text: one line (an exception's stack trace stays in the log, never in a telemetry
/// file or the dashboard), bounded length, and no known secret or anything shaped like one.
/// </summary>
public sealed class TelemetryText(SecretScrubber scrubber)
{
    private const int MaxLength = 500;

    public static TelemetryText None { get; } = new(new SecretScrubber());

    public string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var firstLine = text;
        var newline = text.IndexOfAny(['\r', '\n']);
        if (newline >= 0) firstLine = text[..newline];
        // "   at Namespace.Type.Method()" without a newline before it still is a stack frame.
        var frame = firstLine.IndexOf(" at HueyP.", StringComparison.Ordinal);
        if (frame > 0) firstLine = firstLine[..frame];
        firstLine = scrubber.Scrub(firstLine.Trim());
        return firstLine.Length <= MaxLength ? firstLine : firstLine[..MaxLength] + "…";
    }

    public string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    public static double? Finite(decimal? value) => value is { } v ? Finite((double)v) : null;
}
