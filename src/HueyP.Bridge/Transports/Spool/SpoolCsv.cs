using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Transports.Spool;

/// <summary>
/// The spool file format (docs/protocol.md §9): RFC 4180 CSV, a header row and one record, UTF-8 without BOM.
/// expires_at is repeated as a column so a reader can skip a stale order without parsing the JSON payload.
/// The record is turned back into a v1.0 frame body so it passes the same inbound gate as any frame.
/// </summary>
public static class SpoolCsv
{
    public const string Header = "version,message_type,message_id,timestamp,source,seq,expires_at,payload";

    public const string Extension = ".csv";

    public static string Format(BridgeMessage m) =>
        Header + "\r\n" + string.Join(",",
            "1.0",
            WireNames.Name(m.Type),
            Quote(m.MessageId),
            Timestamps.Format(m.Timestamp),
            Quote(m.Source),
            m.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "",
            m.ExpiresAt is { } at ? Timestamps.Format(at) : "",
            Quote(m.Payload.GetRawText())) + "\r\n";

    /// <summary>Sortable by time then sequence, so a reader taking files in name order takes them in send order.</summary>
    public static string FileName(BridgeMessage m, DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMddHHmmssfff}-{m.Sequence ?? 0:D12}-{m.MessageId}{Extension}";

    /// <summary>Written under a temporary name, flushed, then renamed: a reader never sees half a file.</summary>
    public static void WriteAtomically(string directory, string fileName, string content)
    {
        var temporary = Path.Combine(directory, "." + fileName + ".tmp");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(new UTF8Encoding(false).GetBytes(content));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path.Combine(directory, fileName), overwrite: false);
    }

    public static IReadOnlyList<string> PendingFiles(string directory) =>
        Directory.EnumerateFiles(directory, "*" + Extension).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The expires_at column, or null if absent or unreadable.</summary>
    public static DateTimeOffset? ReadExpiry(string content)
    {
        try
        {
            var record = Record(content);
            return record[6].Length > 0 && Timestamps.TryParse(record[6], out var at) ? at : null;
        }
        catch (FrameException)
        {
            return null;
        }
    }

    public static byte[] ToFrameBody(string content)
    {
        var r = Record(content);
        var buffer = new ArrayBufferWriter<byte>(content.Length + 64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("version", r[0]);
            w.WriteString("message_type", r[1]);
            w.WriteString("message_id", r[2]);
            w.WriteString("timestamp", r[3]);
            w.WriteString("source", r[4]);
            if (r[5].Length > 0)
            {
                if (!long.TryParse(r[5], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                    throw new FrameException(FrameErrorReason.SchemaViolation, "seq column is not an integer");
                w.WriteNumber("seq", seq);
            }
            w.WritePropertyName("payload");
            try
            {
                w.WriteRawValue(r[7]);
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                throw new FrameException(FrameErrorReason.InvalidJson, "payload column is not JSON");
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string[] Record(string content)
    {
        var rows = Parse(content);
        if (rows.Count < 2 || string.Join(",", rows[0]) != Header)
            throw new FrameException(FrameErrorReason.SchemaViolation, "spool file must have the header row and one record");
        if (rows[1].Count != 8) throw new FrameException(FrameErrorReason.SchemaViolation, $"spool record has {rows[1].Count} fields, expected 8");
        return rows[1].ToArray();
    }

    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n': row.Add(field.ToString()); field.Clear(); rows.Add(row); row = new List<string>(); break;
                default: field.Append(c); break;
            }
        }
        if (quoted) throw new FrameException(FrameErrorReason.Truncated, "spool file ends inside a quoted field");
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row); }
        return rows;
    }
}
