namespace HueyP.Bridge.Protocol;

/// <summary>
/// Version negotiation (docs/protocol.md §5): the client's first frame is a v1.0 STATUS_REQUEST listing the
/// versions it speaks, because every peer can read v1.0; the server answers STATUS_RESPONSE with the highest
/// common version and both sides switch to it. A legacy EA that just starts talking v1.0 gets v1.0.
/// </summary>
public static class VersionNegotiation
{
    public static IReadOnlyList<string> Offer(bool supportsV12) => supportsV12 ? ["1.2", "1.0"] : ["1.0"];

    /// <summary>The highest version both sides speak, or null when there is none.</summary>
    public static ProtocolVersion? Choose(IEnumerable<string> offered, bool supportsV12)
    {
        var versions = offered.ToHashSet(StringComparer.Ordinal);
        if (supportsV12 && versions.Contains("1.2")) return ProtocolVersion.V1_2;
        if (versions.Contains("1.0")) return ProtocolVersion.V1_0;
        return null;
    }
}
