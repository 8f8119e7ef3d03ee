using System.Text;
using System.Text.Json;
using HueyP.Bridge.Protocol;

namespace HueyP.Bridge.Tests.Protocol;

/// <summary>
/// The canonical form decides whether a v1.2 peer's HMAC verifies, so the fast paths (raw UTF-8 copied as it is)
/// must give exactly the bytes of the rule in docs/protocol.md §3.1, here restated the slow, obvious way.
/// </summary>
public sealed class CanonicalJsonTests
{
    [Theory]
    [InlineData("""{"b":1,"a":"x"}""", """{"a":"x","b":1}""")]
    [InlineData("""{ "n" : 1.50e+3 , "m" : -0 }""", """{"m":-0,"n":1.50e+3}""")]
    [InlineData("""{"s":"tab\there \"q\" back\\slash \u0001 \u00e9 \/"}""", "{\"s\":\"tab\\there \\\"q\\\" back\\\\slash \\u0001 \u00e9 /\"}")]
    [InlineData("""{"é":1,"z":2,"\u0041":3}""", "{\"A\":3,\"z\":2,\"\u00e9\":1}")]
    [InlineData("""{"a":[{"d":null,"c":true},false,"\ud83d\ude00"]}""", "{\"a\":[{\"c\":true,\"d\":null},false,\"\U0001F600\"]}")]
    public void Matches_the_documented_rule(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement)));
        Assert.Equal(Reference(document.RootElement), Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement)));
    }

    [Fact]
    public void Orders_names_by_utf16_code_units_where_utf8_byte_order_differs()
    {
        // U+FF21 sorts after U+1F600 in UTF-8 bytes (EF.. < F0..) but before it in UTF-16 (FF21 > D83D): UTF-16 decides.
        using var document = JsonDocument.Parse("{\"\uFF21\":1,\"\U0001F600\":2}");

        Assert.Equal("{\"\U0001F600\":2,\"\uFF21\":1}", Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement)));
    }

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":1,"\u0061":2}""")]
    public void Refuses_duplicate_member_names(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = true });

        var error = Assert.Throws<FrameException>(() => CanonicalJson.Serialize(document.RootElement));
        Assert.Contains("duplicate member", error.Detail);
    }

    [Fact]
    public void Random_documents_match_the_reference()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 2000; i++)
        {
            var json = RandomValue(random, 0);
            using var document = JsonDocument.Parse(json);
            Assert.Equal(Reference(document.RootElement), Encoding.UTF8.GetString(CanonicalJson.Serialize(document.RootElement)));
        }
    }

    [Fact]
    public void A_signed_frame_verifies_with_escaped_and_non_ascii_text_in_header_and_payload()
    {
        var codec = Samples.Codec();
        var factory = new MessageFactory("ea \"quoted\" é", Samples.Clock(), ProtocolVersion.V1_2);
        var sent = factory.Create(MessageType.Error, new ErrorPayload("INTERNAL", "line\nbreak, tab\t, ünïcode \U0001F600")) with { Destination = "hüeyp" };

        var received = codec.Decode(codec.EncodeBody(sent.WithSequence(3)));

        Assert.Equal("ea \"quoted\" é", received.Source);
        Assert.Equal("hüeyp", received.Destination);
        Assert.Equal("line\nbreak, tab\t, ünïcode \U0001F600", Payloads.Read<ErrorPayload>(received.Payload).Reason);
    }

    private static readonly string[] Names = ["a", "b", "ab", "B", "_", "é", "\uFF21", "\U0001F600", "a\"b", "tab\t", "z"];
    private static readonly string[] Texts = ["", "plain", "quote\"", "back\\slash", "ctl\u0001\u001f", "nl\n\r\b\f\t", "é ü", "\U0001F600", "/", "\u2028"];

    private static string RandomValue(Random random, int depth)
    {
        switch (depth > 2 ? random.Next(4) : random.Next(6))
        {
            case 0: return JsonSerializer.Serialize(Texts[random.Next(Texts.Length)]);
            case 1: return random.Next(3) switch { 0 => "1.25e-3", 1 => "-42", _ => "0.1" };
            case 2: return random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" };
            case 3: return "\"" + Texts[random.Next(Texts.Length)].Replace("\\", "\\\\").Replace("\"", "\\u0022").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\b", "\\b").Replace("\f", "\\f").Replace("\t", "\\t").Replace("\u0001", "\\u0001").Replace("\u001f", "\\u001F") + "\"";
            case 4: return "[" + string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => RandomValue(random, depth + 1))) + "]";
            default:
                var names = Names.OrderBy(_ => random.Next()).Take(random.Next(5));
                return "{" + string.Join(" , ", names.Select(n => JsonSerializer.Serialize(n) + ":" + RandomValue(random, depth + 1))) + "}";
        }
    }

    /// <summary>The rule as written: members sorted by ordinal UTF-16 name, strings escaped by the one fixed rule, numbers verbatim.</summary>
    private static string Reference(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => Quote(p.Name) + ":" + Reference(p.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Reference)) + "]",
        JsonValueKind.String => Quote(element.GetString()!),
        _ => element.GetRawText(),
    };

    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < (char)0x20 => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.Append('"').ToString();
    }
}
