using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace HueyP.Bridge.Protocol;

/// <summary>
/// Encodes and decodes frame bodies of both envelopes. Decoding untrusted bytes throws nothing but
/// <see cref="FrameException"/>; the envelope is recognised by shape (a top-level "header" means v1.2).
/// Stateless and thread-safe.
/// </summary>
public sealed class BridgeCodec(CodecOptions options)
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16, AllowDuplicateProperties = false };
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public CodecOptions Options { get; } = options;

    /// <summary>4-byte little-endian length followed by the body.</summary>
    public byte[] EncodeFrame(BridgeMessage message)
    {
        var body = EncodeBody(message);
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        body.CopyTo(frame.AsSpan(4));
        return frame;
    }

    public byte[] EncodeBody(BridgeMessage message)
    {
        var body = message.Version == ProtocolVersion.V1_2 ? EncodeV12(message) : EncodeV10(message);
        if (body.Length > Options.MaxFrameBytes)
            throw new FrameException(FrameErrorReason.TooLarge, $"outbound {message} is {body.Length} bytes, limit {Options.MaxFrameBytes}");
        return body;
    }

    private static byte[] EncodeV10(BridgeMessage m)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("message_type", WireNames.Name(m.Type));
            w.WriteString("message_id", m.MessageId);
            w.WriteString("timestamp", Timestamps.Format(m.Timestamp));
            w.WritePropertyName("payload");
            m.Payload.WriteTo(w);
            w.WriteString("source", m.Source);
            w.WriteString("version", "1.0");
            if (m.Sequence is { } seq) w.WriteNumber("seq", seq);
            if (m.Destination is { } destination) w.WriteString("destination", destination);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static ReadOnlySpan<byte> ChecksumOpen => ",\"checksum\":{\"crc32\":\""u8;
    private static ReadOnlySpan<byte> HmacOpen => "\",\"hmac_sha256\":\""u8;
    private static ReadOnlySpan<byte> ChecksumClose => "\"}}"u8;

    private byte[] EncodeV12(BridgeMessage m)
    {
        var key = Options.HmacKey is { Length: > 0 } k ? k : throw new InvalidOperationException("v1.2 needs an HMAC key");
        // The header is written in its canonical form directly (members in ordinal order, the canonical string rule),
        // which is what canonicalizing a parsed copy of it would give, without the copy.
        var signed = CanonicalJson.RentBuffer();
        signed.Write("{\"header\":{\"destination\":"u8);
        CanonicalJson.WriteSimpleString(signed, m.Destination ?? "*");
        signed.Write(",\"message_id\":"u8);
        CanonicalJson.WriteSimpleString(signed, m.MessageId);
        signed.Write(",\"message_type\":"u8);
        CanonicalJson.WriteSimpleString(signed, WireNames.Name(m.Type));
        if (m.Sequence is { } seq)
        {
            signed.Write(",\"seq\":"u8);
            CanonicalJson.WriteNumber(signed, seq);
        }
        signed.Write(",\"source\":"u8);
        CanonicalJson.WriteSimpleString(signed, m.Source);
        signed.Write(",\"timestamp\":"u8);
        CanonicalJson.WriteSimpleString(signed, Timestamps.Format(m.Timestamp));
        signed.Write(",\"version\":\"1.2\"},\"payload\":"u8);
        CanonicalJson.Write(signed, m.Payload, 0);
        signed.Write("}"u8);
        var signedBytes = signed.WrittenSpan;
        Span<byte> hmac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, signedBytes, hmac);
        // The wire body is the signed bytes with the checksum member appended, so it is canonical too.
        var body = new byte[signedBytes.Length - 1 + ChecksumOpen.Length + 8 + HmacOpen.Length + 2 * hmac.Length + ChecksumClose.Length];
        var at = 0;
        void Append(ReadOnlySpan<byte> part)
        {
            part.CopyTo(body.AsSpan(at));
            at += part.Length;
        }
        Append(signedBytes[..^1]);
        Append(ChecksumOpen);
        WriteLowerHex(body.AsSpan(at, 8), Crc32.Compute(signedBytes));
        at += 8;
        Append(HmacOpen);
        foreach (var b in hmac)
        {
            WriteLowerHex(body.AsSpan(at, 2), b);
            at += 2;
        }
        Append(ChecksumClose);
        return body;
    }

    private static void WriteLowerHex(Span<byte> destination, uint value)
    {
        for (var i = destination.Length - 1; i >= 0; i--, value >>= 4) destination[i] = (byte)"0123456789abcdef"[(int)(value & 0xF)];
    }

    public BridgeMessage Decode(byte[] body) => Decode(body.AsMemory());

    public BridgeMessage Decode(ReadOnlyMemory<byte> body)
    {
        if (body.Length == 0) throw new FrameException(FrameErrorReason.EmptyFrame, "zero-length frame");
        if (body.Length > Options.MaxFrameBytes)
            throw new FrameException(FrameErrorReason.TooLarge, $"{body.Length} bytes, limit {Options.MaxFrameBytes}");
        if (!Utf8.IsValid(body.Span)) throw new FrameException(FrameErrorReason.InvalidUtf8, "body is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException e)
        {
            throw new FrameException(FrameErrorReason.InvalidJson, Trim(e.Message));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Schema($"frame must be a JSON object, not {root.ValueKind}");
            return root.TryGetProperty("header", out _) ? DecodeV12(root) : DecodeV10(root);
        }
    }

    private static BridgeMessage DecodeV10(JsonElement root)
    {
        var versionText = RequiredString(root, "version", "frame");
        if (!WireNames.TryParseVersion(versionText, out var version) || version != ProtocolVersion.V1_0)
            throw new FrameException(FrameErrorReason.UnsupportedVersion,
                $"version \"{Trim(versionText)}\" is not spoken in the flat frame (1.2 uses the header envelope)");
        var type = ParseType(RequiredString(root, "message_type", "frame"));
        var id = ParseId(RequiredString(root, "message_id", "frame"));
        var timestamp = ParseTimestamp(RequiredString(root, "timestamp", "frame"), "timestamp");
        var source = ParseName(RequiredString(root, "source", "frame"), "source");
        var payload = Required(root, "payload", "frame");
        PayloadRules.Validate(type, payload);
        return new BridgeMessage(ProtocolVersion.V1_0, type, id, timestamp, source, payload.Clone())
        {
            Sequence = OptionalSequence(root),
            Destination = OptionalName(root, "destination"),
        };
    }

    private BridgeMessage DecodeV12(JsonElement root)
    {
        var header = Required(root, "header", "envelope");
        if (header.ValueKind != JsonValueKind.Object) throw Schema("header must be an object");
        var payload = Required(root, "payload", "envelope");
        if (payload.ValueKind != JsonValueKind.Object) throw Schema("payload must be an object");
        var checksum = Required(root, "checksum", "envelope");
        if (checksum.ValueKind != JsonValueKind.Object) throw Schema("checksum must be an object");
        var crcText = RequiredString(checksum, "crc32", "checksum");
        var hmacText = RequiredString(checksum, "hmac_sha256", "checksum");
        if (crcText.Length != 8 || !IsLowerHex(crcText)) throw Schema("checksum.crc32 must be 8 lowercase hex digits");
        if (hmacText.Length != 64 || !IsLowerHex(hmacText)) throw Schema("checksum.hmac_sha256 must be 64 lowercase hex digits");

        var buffer = CanonicalJson.RentBuffer();
        CanonicalJson.WriteSigned(buffer, header, payload);
        var signed = buffer.WrittenSpan;
        // Eight lowercase hex digits (checked above) name exactly one value: comparing values compares the texts.
        if (Crc32.Compute(signed) != uint.Parse(crcText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture))
            throw new FrameException(FrameErrorReason.BadChecksum, "CRC32 of the canonical header and payload does not match");
        if (Options.HmacKey is not { Length: > 0 } key)
            throw new FrameException(FrameErrorReason.BadHmac, "this peer has no v1.2 key configured");
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, signed, expected);
        Span<byte> received = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Convert.FromHexString(hmacText, received, out _, out _);
        if (!CryptographicOperations.FixedTimeEquals(expected, received))
            throw new FrameException(FrameErrorReason.BadHmac, "HMAC-SHA256 does not match the shared key");

        var versionText = RequiredString(header, "version", "header");
        if (versionText != "1.2") throw new FrameException(FrameErrorReason.UnsupportedVersion, $"header.version \"{Trim(versionText)}\" in a 1.2 envelope");
        var type = ParseType(RequiredString(header, "message_type", "header"));
        var id = ParseId(RequiredString(header, "message_id", "header"));
        var timestamp = ParseTimestamp(RequiredString(header, "timestamp", "header"), "header.timestamp");
        var source = ParseName(RequiredString(header, "source", "header"), "header.source");
        var destination = ParseName(RequiredString(header, "destination", "header"), "header.destination");
        PayloadRules.Validate(type, payload);
        return new BridgeMessage(ProtocolVersion.V1_2, type, id, timestamp, source, payload.Clone())
        {
            Sequence = OptionalSequence(header),
            Destination = destination,
        };
    }

    private static bool IsLowerHex(string s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')) return false;
        return true;
    }

    private static JsonElement Required(JsonElement obj, string name, string where) =>
        obj.TryGetProperty(name, out var value) ? value : throw Schema($"{where}.{name} is missing");

    private static string RequiredString(JsonElement obj, string name, string where)
    {
        var value = Required(obj, name, where);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Schema($"{where}.{name} must be a string, not {value.ValueKind}");
    }

    private static MessageType ParseType(string text) =>
        WireNames.TryParse(text, out var type) ? type : throw new FrameException(FrameErrorReason.UnknownMessageType, $"message_type \"{Trim(text)}\"");

    /// <summary>Ids are short printable tokens so they are safe as dedup keys and spool file names.</summary>
    internal static bool IsValidId(string id) =>
        id.Length is >= 1 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    private static string ParseId(string id) =>
        IsValidId(id) ? id : throw Schema("message_id must match ^[A-Za-z0-9._:-]{1,64}$");

    private static string ParseName(string name, string field) =>
        name.Length is >= 1 and <= 64 ? name : throw Schema($"{field} must be 1..64 characters");

    private static DateTimeOffset ParseTimestamp(string text, string field) =>
        Timestamps.TryParse(text, out var at) ? at : throw Schema($"{field} must be an ISO 8601 timestamp");

    private static long? OptionalSequence(JsonElement obj)
    {
        if (!obj.TryGetProperty("seq", out var seq)) return null;
        return seq.ValueKind == JsonValueKind.Number && seq.TryGetInt64(out var n) && n >= 1 ? n : throw Schema("seq must be an integer >= 1");
    }

    private static string? OptionalName(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value)) return null;
        return value.ValueKind == JsonValueKind.String ? ParseName(value.GetString()!, name) : throw Schema($"{name} must be a string");
    }

    private static FrameException Schema(string detail) => new(FrameErrorReason.SchemaViolation, detail);

    private static string Trim(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
