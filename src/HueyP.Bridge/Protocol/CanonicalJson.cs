using System.Buffers;
using System.Text;
using System.Text.Json;

namespace HueyP.Bridge.Protocol;

/// <summary>
/// The canonical bytes the v1.2 checksum and HMAC are computed over (specified in docs/protocol.md §4.3):
/// no whitespace; object members sorted by name (ordinal UTF-16); strings re-escaped with one fixed rule;
/// numbers copied verbatim as their wire token; duplicate member names are refused.
/// Both peers canonicalize what they parsed, so the result does not depend on a JSON library's formatting.
/// </summary>
public static class CanonicalJson
{
    private static readonly byte[] HeaderPrefix = "{\"header\":"u8.ToArray();
    private static readonly byte[] PayloadPrefix = ",\"payload\":"u8.ToArray();

    /// <summary>canonical({"header":H,"payload":P}).</summary>
    public static byte[] SignedBytes(JsonElement header, JsonElement payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(HeaderPrefix);
        Write(buffer, header, 0);
        buffer.Write(PayloadPrefix);
        Write(buffer, payload, 0);
        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Serialize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, element, 0);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> buffer, JsonElement element, int depth)
    {
        if (depth > 64) throw new FrameException(FrameErrorReason.InvalidJson, "nesting too deep");
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                buffer.Write("{"u8);
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        if (members[i].Name == members[i - 1].Name)
                            throw new FrameException(FrameErrorReason.InvalidJson, $"duplicate member \"{members[i].Name}\"");
                        buffer.Write(","u8);
                    }
                    WriteString(buffer, members[i].Name);
                    buffer.Write(":"u8);
                    Write(buffer, members[i].Value, depth + 1);
                }
                buffer.Write("}"u8);
                break;
            case JsonValueKind.Array:
                buffer.Write("["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) buffer.Write(","u8);
                    first = false;
                    Write(buffer, item, depth + 1);
                }
                buffer.Write("]"u8);
                break;
            case JsonValueKind.String:
                WriteString(buffer, element.GetString()!);
                break;
            case JsonValueKind.Number:
                buffer.Write(Encoding.UTF8.GetBytes(element.GetRawText()));
                break;
            case JsonValueKind.True:
                buffer.Write("true"u8);
                break;
            case JsonValueKind.False:
                buffer.Write("false"u8);
                break;
            default:
                buffer.Write("null"u8);
                break;
        }
    }

    /// <summary>Escapes only '"', '\\' and U+0000..U+001F (as \b \t \n \f \r or \u00xx lowercase); all else is raw UTF-8.</summary>
    private static void WriteString(ArrayBufferWriter<byte> buffer, string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20) sb.Append("\\u00").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
        try
        {
            buffer.Write(new UTF8Encoding(false, true).GetBytes(sb.ToString()));
        }
        catch (EncoderFallbackException)
        {
            // A lone surrogate escaped as \ud800 in the JSON text is valid JSON but has no UTF-8 form.
            throw new FrameException(FrameErrorReason.InvalidUtf8, "string contains an unpaired surrogate");
        }
    }
}
