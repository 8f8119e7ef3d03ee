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
        // One-shot SHA-256 over the same length-prefixed fields an incremental hash would see (identical digest),
        // without allocating a hash object per event.
        var idLength = Encoding.UTF8.GetByteCount(persistenceId);
        var manifestLength = Encoding.UTF8.GetByteCount(manifest);
        var total = 4 + idLength + 8 + 4 + manifestLength + 4 + payload.Length + 4 + previousHash.Length;
        byte[]? rented = null;
        var buffer = total <= 1024 ? stackalloc byte[total] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(total)).AsSpan(0, total);
        try
        {
            var at = 0;
            BinaryPrimitives.WriteInt32BigEndian(buffer[at..], idLength);
            at += 4;
            at += Encoding.UTF8.GetBytes(persistenceId, buffer[at..]);
            BinaryPrimitives.WriteInt64BigEndian(buffer[at..], sequenceNr);
            at += 8;
            BinaryPrimitives.WriteInt32BigEndian(buffer[at..], manifestLength);
            at += 4;
            at += Encoding.UTF8.GetBytes(manifest, buffer[at..]);
            at = Put(buffer, at, payload);
            Put(buffer, at, previousHash);
            return SHA256.HashData(buffer);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Put(Span<byte> buffer, int at, ReadOnlySpan<byte> field)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer[at..], field.Length);
        at += 4;
        field.CopyTo(buffer[(at)..]);
        return at + field.Length;
    }
}
