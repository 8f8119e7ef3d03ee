using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HueyP.Domain.Decisions;

/// <summary>
/// Source-generated, reflection-free serialization. Property order is declaration order, names are snake_case,
/// enums are strings, doubles use the shortest round-trippable form (NaN/Infinity as named literals because a
/// warm-up indicator is legitimately NaN), and there is no indentation: one record, one canonical byte sequence.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(DecisionRecord))]
[JsonSerializable(typeof(DecisionEngineOptions))]
internal sealed partial class DecisionJsonContext : JsonSerializerContext;

public static class DecisionJson
{
    public static byte[] Serialize(DecisionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.SerializeToUtf8Bytes(record, DecisionJsonContext.Default.DecisionRecord);
    }

    public static string SerializeToString(DecisionRecord record) =>
        System.Text.Encoding.UTF8.GetString(Serialize(record));

    public static byte[] Serialize(DecisionEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return JsonSerializer.SerializeToUtf8Bytes(options, DecisionJsonContext.Default.DecisionEngineOptions);
    }

    /// <summary>SHA-256 (lower-case hex) of the configuration's canonical JSON.</summary>
    public static string ConfigHash(DecisionEngineOptions options) => Convert.ToHexStringLower(SHA256.HashData(Serialize(options)));
}

/// <summary>
/// A running SHA-256 over decision records: head(n) = SHA-256(head(n−1) ‖ canonical JSON of record n), starting
/// from 32 zero bytes. Two replays that made the same decisions in the same order end with the same head.
/// </summary>
public sealed class DecisionHashChain
{
    private readonly byte[] _head = new byte[32];

    public long Count { get; private set; }
    public string Head => Convert.ToHexStringLower(_head);

    public string Append(DecisionRecord record)
    {
        var json = DecisionJson.Serialize(record);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_head);
        hash.AppendData(json);
        hash.GetHashAndReset(_head);
        Count++;
        return Head;
    }
}
