using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HueyP.Persistence.Integrity;

/// <summary>
/// SHA-256 chain per persistence id: each row's hash covers its identity, content and the previous row's hash,
/// so editing, removing or reordering a row breaks every later link. Fields are length-prefixed so that
/// moving bytes from one field to the next changes the hash.
/// </summary>
public static class EventHash
{
    public const int Length = 32;

    public static byte[] Compute(string persistenceId, long sequenceNr, string manifest, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> previousHash)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendField(hash, Encoding.UTF8.GetBytes(persistenceId));
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, sequenceNr);
        hash.AppendData(number);
        AppendField(hash, Encoding.UTF8.GetBytes(manifest));
        AppendField(hash, payload);
        AppendField(hash, previousHash);
        return hash.GetHashAndReset();
    }

    private static void AppendField(IncrementalHash hash, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, field.Length);
        hash.AppendData(length);
        hash.AppendData(field);
    }
}
