namespace HueyP.Bridge.Protocol;

public sealed record CodecOptions
{
    /// <summary>Largest frame body accepted or produced (the 4-byte length prefix is not counted).</summary>
    public const int DefaultMaxFrameBytes = 64 * 1024;

    public int MaxFrameBytes { get; init; } = DefaultMaxFrameBytes;

    /// <summary>Shared secret for the v1.2 HMAC (from configuration). Without it only v1.0 can be spoken.</summary>
    public byte[]? HmacKey { get; init; }

    public bool SupportsV12 => HmacKey is { Length: > 0 };
}
