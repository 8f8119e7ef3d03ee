namespace HueyP.Bridge.Protocol;

/// <summary>Why an inbound frame was refused. Every value maps to one wire error code (see docs/protocol.md).</summary>
public enum FrameErrorReason
{
    EmptyFrame,
    Truncated,
    TooLarge,
    InvalidUtf8,
    InvalidJson,
    SchemaViolation,
    UnknownMessageType,
    UnsupportedVersion,
    VersionMismatch,
    BadChecksum,
    BadHmac,
    RateLimited,
}

/// <summary>The only exception the codec throws for bad input; the reason decides the reply.</summary>
public sealed class FrameException(FrameErrorReason reason, string detail) : Exception($"{FrameErrors.Code(reason)}: {detail}")
{
    public FrameErrorReason Reason { get; } = reason;

    public string Detail { get; } = detail;
}

public static class FrameErrors
{
    /// <summary>Wire code carried in ERROR payloads.</summary>
    public static string Code(FrameErrorReason reason) => reason switch
    {
        FrameErrorReason.EmptyFrame => "FRAME_EMPTY",
        FrameErrorReason.Truncated => "FRAME_TRUNCATED",
        FrameErrorReason.TooLarge => "FRAME_TOO_LARGE",
        FrameErrorReason.InvalidUtf8 => "INVALID_UTF8",
        FrameErrorReason.InvalidJson => "INVALID_JSON",
        FrameErrorReason.SchemaViolation => "SCHEMA_VIOLATION",
        FrameErrorReason.UnknownMessageType => "UNKNOWN_MESSAGE_TYPE",
        FrameErrorReason.UnsupportedVersion => "UNSUPPORTED_VERSION",
        FrameErrorReason.VersionMismatch => "VERSION_MISMATCH",
        FrameErrorReason.BadChecksum => "BAD_CHECKSUM",
        FrameErrorReason.BadHmac => "BAD_HMAC",
        FrameErrorReason.RateLimited => "RATE_LIMITED",
        _ => "INTERNAL",
    };

    /// <summary>
    /// Fatal reasons leave the byte stream out of step (we no longer know where the next frame starts),
    /// so the connection is closed after the ERROR; all others are answered and the connection lives on.
    /// </summary>
    public static bool ClosesConnection(FrameErrorReason reason) =>
        reason is FrameErrorReason.Truncated or FrameErrorReason.TooLarge;
}
