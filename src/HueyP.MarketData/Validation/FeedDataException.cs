namespace HueyP.MarketData.Validation;

/// <summary>Thrown in strict mode at the first bad row, naming the file and line so the data can be fixed.</summary>
public sealed class FeedDataException(string file, long line, RejectReason reason, string detail)
    : IOException($"{file}:{line}: {reason}: {detail}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public RejectReason Reason { get; } = reason;
    public string Detail { get; } = detail;
}
