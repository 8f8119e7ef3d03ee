using HueyP.Domain.Decisions;

namespace HueyP.Engine.Decisions;

/// <summary>A symbol's decision; <paramref name="Sequence"/> counts that symbol's records (ties within one instant).</summary>
public sealed record RecordDecision(DecisionRecord Record, long Sequence);

/// <summary>
/// Replay: every symbol has acknowledged the slice, so every record of it is already in the recorder's mailbox.
/// The recorder can now put them in canonical order and commit them.
/// </summary>
public sealed record SliceComplete(long Slice);

/// <summary>Commits anything pending, waits until the file is flushed, replies <see cref="RecorderStats"/>.</summary>
public sealed record FlushRecords
{
    public static readonly FlushRecords Instance = new();
}

/// <summary>Replies <see cref="RecorderStats"/> (committed records only).</summary>
public sealed record GetRecorderStats
{
    public static readonly GetRecorderStats Instance = new();
}

/// <summary>What the recorder has committed: counts, rejection reasons and the hash chain head.</summary>
public sealed record RecorderStats(
    long Signals,
    long Intents,
    IReadOnlyDictionary<string, long> RejectionsByReason,
    string Hash,
    long PendingRecords,
    long WriteErrors);
