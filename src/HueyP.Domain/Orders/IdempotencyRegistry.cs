using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;

namespace HueyP.Domain.Orders;

public enum IdempotencyOutcome
{
    /// <summary>Never seen: go ahead, then persist <see cref="IdempotencyKeyRecorded"/>.</summary>
    New,
    /// <summary>Seen with the same payload: return the original result, send nothing.</summary>
    Replay,
    /// <summary>Seen with a different payload: a caller bug or a collision; send nothing.</summary>
    Conflict,
}

public sealed record IdempotencyCheck(IdempotencyOutcome Outcome, string? OriginalResult, string? Error);

public sealed record IdempotencyKeyRecorded(string Key, string PayloadFingerprint, string Result, DateTime TimeUtc);

public sealed record IdempotencyEntry(string PayloadFingerprint, string Result, DateTime RecordedUtc);

/// <summary>
/// Pure model of "same request, same answer": keys map to the fingerprint of the payload first seen and the result
/// produced for it (typically the client order id). The actor persists <see cref="IdempotencyKeyRecorded"/>.
/// </summary>
public sealed record IdempotencyRegistry(ImmutableSortedDictionary<string, IdempotencyEntry> Entries)
{
    public static IdempotencyRegistry Empty { get; } =
        new(ImmutableSortedDictionary<string, IdempotencyEntry>.Empty.WithComparers(StringComparer.Ordinal));

    public IdempotencyCheck Check(string key, string payloadFingerprint)
    {
        if (string.IsNullOrWhiteSpace(key)) return new(IdempotencyOutcome.Conflict, null, "idempotency key must not be empty");
        if (!Entries.TryGetValue(key, out var entry)) return new(IdempotencyOutcome.New, null, null);
        return entry.PayloadFingerprint == payloadFingerprint
            ? new(IdempotencyOutcome.Replay, entry.Result, null)
            : new(IdempotencyOutcome.Conflict, entry.Result,
                $"idempotency key '{key}' was already used for a different payload (original result {entry.Result})");
    }

    public IdempotencyRegistry Apply(IdempotencyKeyRecorded e)
    {
        if (Entries.TryGetValue(e.Key, out var existing))
        {
            return existing.PayloadFingerprint == e.PayloadFingerprint
                ? this
                : throw new InvalidOperationException($"idempotency key '{e.Key}' recorded twice with different payloads");
        }
        return this with { Entries = Entries.Add(e.Key, new IdempotencyEntry(e.PayloadFingerprint, e.Result, e.TimeUtc)) };
    }

    /// <summary>SHA-256 (hex) of the payload's System.Text.Json rendering; records render in declaration order.</summary>
    public static string Fingerprint<T>(T payload)
    {
        // The UTF-8 of the JSON text, written as UTF-8 directly (the same bytes as encoding the JSON string).
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(payload)));
    }
}
