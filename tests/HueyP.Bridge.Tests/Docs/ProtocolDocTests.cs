using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HueyP.Bridge.Protocol;
using HueyP.Bridge.Transports.Spool;

namespace HueyP.Bridge.Tests.Docs;

/// <summary>docs/protocol.md is the specification: its examples must fit its schemas and decode with the codec.</summary>
public sealed partial class ProtocolDocTests
{
    private static readonly byte[] ExampleKey = Encoding.UTF8.GetBytes("hueyp-example-key");

    private sealed record Block(string Info, string Body, int Line);

    private static readonly Lazy<IReadOnlyList<Block>> Blocks = new(() =>
    {
        // From this source file, not the binaries: tests may build into an artifacts path outside the repository.
        var dir = new DirectoryInfo(Path.GetDirectoryName(ThisFile())!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HueyP.sln"))) dir = dir.Parent;
        var text = File.ReadAllText(Path.Combine(dir?.FullName ?? throw new FileNotFoundException("HueyP.sln not found above the test binaries"), "docs", "protocol.md"));
        return Fence().Matches(text).Select(m => new Block(m.Groups[1].Value.Trim(), m.Groups[2].Value, text[..m.Index].Count(c => c == '\n') + 1)).ToArray();
    });

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    [GeneratedRegex(@"^```([^\n]*)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    private static Dictionary<string, JsonElement> Schemas() =>
        Blocks.Value.Where(b => b.Info.StartsWith("json schema name=", StringComparison.Ordinal))
            .ToDictionary(b => b.Info["json schema name=".Length..], b => JsonDocument.Parse(b.Body).RootElement.Clone());

    private static IEnumerable<Block> Examples() => Blocks.Value.Where(b => b.Info == "json example");

    [Fact]
    public void Every_example_fits_its_envelope_and_payload_schema_and_decodes_with_the_codec()
    {
        var schemas = Schemas();
        var codec = new BridgeCodec(new CodecOptions { HmacKey = ExampleKey });
        var seenTypes = new HashSet<MessageType>();
        var seenVersions = new HashSet<ProtocolVersion>();
        foreach (var example in Examples())
        {
            var json = JsonDocument.Parse(example.Body).RootElement;
            var isV12 = json.TryGetProperty("header", out var header);
            var typeName = (isV12 ? header : json).GetProperty("message_type").GetString()!;
            var errors = SchemaValidator.Validate(schemas[isV12 ? "envelope-1.2" : "envelope-1.0"], json)
                .Concat(SchemaValidator.Validate(schemas["payload-" + typeName], json.GetProperty("payload"))).ToList();
            Assert.True(errors.Count == 0, $"example at docs/protocol.md:{example.Line}: {string.Join("; ", errors)}");

            var message = codec.Decode(Encoding.UTF8.GetBytes(example.Body));

            Assert.Equal(typeName, WireNames.Name(message.Type));
            seenTypes.Add(message.Type);
            seenVersions.Add(message.Version);
        }
        Assert.Equal(Enum.GetValues<MessageType>().ToHashSet(), seenTypes);
        Assert.Equal(2, seenVersions.Count);
    }

    [Fact]
    public void Every_message_type_has_a_payload_schema_and_the_error_codes_match_the_implementation()
    {
        var schemas = Schemas();
        foreach (var type in Enum.GetValues<MessageType>()) Assert.True(schemas.ContainsKey("payload-" + WireNames.Name(type)), $"no schema for {type}");
        var documented = schemas["payload-ERROR"].GetProperty("properties").GetProperty("code").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        var implemented = Enum.GetValues<FrameErrorReason>().Select(FrameErrors.Code).Append("INTERNAL").ToHashSet();
        Assert.Equal(implemented, documented);
    }

    [Fact]
    public void The_worked_canonical_bytes_are_what_the_codec_signs_and_their_crc_is_the_one_in_the_example()
    {
        var canonical = Blocks.Value.Single(b => b.Info == "text canonical").Body.TrimEnd('\n');
        var example = Examples().Select(e => JsonDocument.Parse(e.Body).RootElement)
            .First(e => e.TryGetProperty("header", out var h) && h.GetProperty("message_type").GetString() == "TRADE");

        var signed = CanonicalJson.SignedBytes(example.GetProperty("header"), example.GetProperty("payload"));

        Assert.Equal(canonical, Encoding.UTF8.GetString(signed));
        Assert.Equal(example.GetProperty("checksum").GetProperty("crc32").GetString(), Crc32.ToHex(Crc32.Compute(signed)));
    }

    [Fact]
    public void The_spool_file_example_is_a_valid_spool_record()
    {
        var spool = Blocks.Value.Single(b => b.Info == "text spool").Body;

        var message = new BridgeCodec(new CodecOptions()).Decode(SpoolCsv.ToFrameBody(spool));

        Assert.Equal(MessageType.Trade, message.Type);
        Assert.Equal("ord-20261122-0042", message.OrderKey);
        Assert.Equal(SpoolCsv.ReadExpiry(spool), message.ExpiresAt);
    }

    [Fact]
    public void The_validator_is_not_vacuous()
    {
        var schema = Schemas()["payload-TRADE"];
        var bad = JsonDocument.Parse("""{"order_id":"o 1","symbol":"","side":"LONG","volume":0,"order_type":"MARKET","extra":1}""").RootElement;

        var errors = SchemaValidator.Validate(schema, bad);

        Assert.Contains(errors, e => e.Contains("missing expires_at"));
        Assert.Contains(errors, e => e.Contains("order_id"));
        Assert.Contains(errors, e => e.Contains("side"));
        Assert.Contains(errors, e => e.Contains("volume"));
        Assert.Contains(errors, e => e.Contains("unexpected member extra"));
    }
}
