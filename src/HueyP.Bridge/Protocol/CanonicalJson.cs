using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace HueyP.Bridge.Protocol;

/// <summary>
/// The canonical bytes the v1.2 checksum and HMAC are computed over (specified in docs/protocol.md §4.3):
/// no whitespace; object members sorted by name (ordinal UTF-16); strings re-escaped with one fixed rule;
/// numbers copied verbatim as their wire token; duplicate member names are refused.
/// Both peers canonicalize what they parsed, so the result does not depend on a JSON library's formatting.
/// </summary>
/// <remarks>
/// Every v1.2 frame is canonicalized twice (by its writer and its reader), so this is on the round-trip path: the
/// common case (ASCII member names, strings without escapes) copies the parsed UTF-8 as it is, with no string, list
/// or buffer allocated per member. Garbage per frame is what set the bridge's round-trip tail (gen0 pauses).
/// </remarks>
public static class CanonicalJson
{
    private static readonly byte[] HeaderPrefix = "{\"header\":"u8.ToArray();
    private static readonly byte[] PayloadPrefix = ",\"payload\":"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>canonical({"header":H,"payload":P}).</summary>
    public static byte[] SignedBytes(JsonElement header, JsonElement payload)
    {
        var buffer = RentBuffer();
        WriteSigned(buffer, header, payload);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes canonical({"header":H,"payload":P}) to the buffer.</summary>
    internal static void WriteSigned(IBufferWriter<byte> buffer, JsonElement header, JsonElement payload)
    {
        buffer.Write(HeaderPrefix);
        Write(buffer, header, 0);
        buffer.Write(PayloadPrefix);
        Write(buffer, payload, 0);
        buffer.Write("}"u8);
    }

    public static byte[] Serialize(JsonElement element)
    {
        var buffer = RentBuffer();
        Write(buffer, element, 0);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A cleared per-thread scratch buffer: valid until the next call on this thread.</summary>
    internal static ArrayBufferWriter<byte> RentBuffer()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        return buffer;
    }

    internal static void Write(IBufferWriter<byte> buffer, JsonElement element, int depth)
    {
        if (depth > 64) throw new FrameException(FrameErrorReason.InvalidJson, "nesting too deep");
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(buffer, element, depth);
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
                var raw = JsonMarshal.GetRawUtf8Value(element);
                // Without a backslash the token is its own canonical form: the reader has refused raw control
                // characters and invalid UTF-8, and '"' cannot occur unescaped inside it.
                if (raw.IndexOf((byte)'\\') < 0) buffer.Write(raw);
                else WriteString(buffer, element.GetString()!);
                break;
            case JsonValueKind.Number:
                buffer.Write(JsonMarshal.GetRawUtf8Value(element));
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

    private const int MaxMembersForInsertionSort = 32;

    private static void WriteObject(IBufferWriter<byte> buffer, JsonElement element, int depth)
    {
        var count = 0;
        var simpleNames = true;
        foreach (var member in element.EnumerateObject())
        {
            count++;
            if (!IsPlainAscii(JsonMarshal.GetRawUtf8PropertyName(member))) simpleNames = false;
        }
        // Many members: a frame of up to 64 KB could hold thousands, and the insertion sort below is quadratic.
        if (!simpleNames || count > MaxMembersForInsertionSort)
        {
            WriteObjectByStrings(buffer, element, depth);
            return;
        }
        var members = ArrayPool<JsonProperty>.Shared.Rent(Math.Max(count, 1));
        try
        {
            var n = 0;
            foreach (var member in element.EnumerateObject())
            {
                // Insertion sort: objects here have a handful of members. For ASCII, byte order is ordinal UTF-16 order.
                var name = JsonMarshal.GetRawUtf8PropertyName(member);
                var at = n;
                while (at > 0 && JsonMarshal.GetRawUtf8PropertyName(members[at - 1]).SequenceCompareTo(name) > 0)
                {
                    members[at] = members[at - 1];
                    at--;
                }
                members[at] = member;
                n++;
            }
            buffer.Write("{"u8);
            for (var i = 0; i < n; i++)
            {
                var name = JsonMarshal.GetRawUtf8PropertyName(members[i]);
                if (i > 0)
                {
                    if (name.SequenceEqual(JsonMarshal.GetRawUtf8PropertyName(members[i - 1])))
                        throw new FrameException(FrameErrorReason.InvalidJson, $"duplicate member \"{Encoding.UTF8.GetString(name)}\"");
                    buffer.Write(","u8);
                }
                buffer.Write("\""u8);
                buffer.Write(name);
                buffer.Write("\":"u8);
                Write(buffer, members[i].Value, depth + 1);
            }
            buffer.Write("}"u8);
        }
        finally
        {
            ArrayPool<JsonProperty>.Shared.Return(members, clearArray: true);
        }
    }

    /// <summary>Printable ASCII without escapes: the raw name is its value, and byte order equals UTF-16 order.</summary>
    private static bool IsPlainAscii(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
            if (b is < 0x20 or >= 0x7F or (byte)'\\') return false;
        return true;
    }

    /// <summary>The general rule, for names with escapes or beyond ASCII (where UTF-8 and UTF-16 orders can differ).</summary>
    private static void WriteObjectByStrings(IBufferWriter<byte> buffer, JsonElement element, int depth)
    {
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
    }

    /// <summary>A whole number as its canonical token (what a JSON writer emits for it).</summary>
    internal static void WriteNumber(IBufferWriter<byte> buffer, long value)
    {
        var span = buffer.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        buffer.Advance(written);
    }

    /// <summary>Escapes only '"', '\\' and U+0000..U+001F (as \b \t \n \f \r or \u00xx lowercase); all else is raw UTF-8.</summary>
    internal static void WriteString(IBufferWriter<byte> buffer, string value)
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
            buffer.Write(StrictUtf8.GetBytes(sb.ToString()));
        }
        catch (EncoderFallbackException)
        {
            // A lone surrogate escaped as \ud800 in the JSON text is valid JSON but has no UTF-8 form.
            throw new FrameException(FrameErrorReason.InvalidUtf8, "string contains an unpaired surrogate");
        }
    }

    /// <summary>WriteString without allocating when the value needs no escaping and is ASCII (ids, names, timestamps).</summary>
    internal static void WriteSimpleString(IBufferWriter<byte> buffer, string value)
    {
        foreach (var c in value)
        {
            if (c is < (char)0x20 or >= (char)0x7F or '"' or '\\')
            {
                WriteString(buffer, value);
                return;
            }
        }
        var span = buffer.GetSpan(value.Length + 2);
        span[0] = (byte)'"';
        for (var i = 0; i < value.Length; i++) span[i + 1] = (byte)value[i];
        span[value.Length + 1] = (byte)'"';
        buffer.Advance(value.Length + 2);
    }
}
