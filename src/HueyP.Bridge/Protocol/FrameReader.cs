using System.Buffers.Binary;

namespace HueyP.Bridge.Protocol;

/// <summary>
/// Reads length-prefixed frames from a stream. The length is checked before anything is allocated,
/// so a hostile 2 GB length costs nothing; a body never exceeds the configured maximum.
/// </summary>
public static class FrameReader
{
    /// <summary>The next body, or null at a clean end of stream between frames.</summary>
    public static async ValueTask<byte[]?> ReadFrameAsync(Stream stream, int maxFrameBytes, CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        var got = await ReadAtLeastAsync(stream, prefix, cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < 4) throw new FrameException(FrameErrorReason.Truncated, $"stream ended inside the length prefix ({got} of 4 bytes)");
        var body = new byte[CheckLength(BinaryPrimitives.ReadInt32LittleEndian(prefix), maxFrameBytes)];
        got = await ReadAtLeastAsync(stream, body, cancellationToken).ConfigureAwait(false);
        if (got < body.Length) throw new FrameException(FrameErrorReason.Truncated, $"stream ended after {got} of {body.Length} body bytes");
        return body;
    }

    /// <summary>Synchronous twin, used by the spool and the fuzzer.</summary>
    public static byte[]? ReadFrame(Stream stream, int maxFrameBytes)
    {
        Span<byte> prefix = stackalloc byte[4];
        var got = stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false);
        if (got == 0) return null;
        if (got < 4) throw new FrameException(FrameErrorReason.Truncated, $"stream ended inside the length prefix ({got} of 4 bytes)");
        var body = new byte[CheckLength(BinaryPrimitives.ReadInt32LittleEndian(prefix), maxFrameBytes)];
        got = stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        if (got < body.Length) throw new FrameException(FrameErrorReason.Truncated, $"stream ended after {got} of {body.Length} body bytes");
        return body;
    }

    private static int CheckLength(int length, int maxFrameBytes)
    {
        // Negative lengths are uint values above 2 GB read as int: oversized as well.
        if (length < 0 || length > maxFrameBytes)
            throw new FrameException(FrameErrorReason.TooLarge, $"declared length {(uint)length} exceeds {maxFrameBytes}");
        return length;
    }

    private static async ValueTask<int> ReadAtLeastAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken) =>
        buffer.Length == 0 ? 0 : await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
}
