namespace HueyP.Persistence.Journal;

/// <summary>One event as the journal stores it. On write, the journal fills in Manifest, Timestamp and writer fields.</summary>
public sealed record PersistentRepr(object Payload, string PersistenceId, long SequenceNr)
{
    public string Manifest { get; init; } = "";
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>UTC. Left default on write, the journal stamps the current time.</summary>
    public DateTime Timestamp { get; init; }

    public string WriterId { get; init; } = "";
    public long WriterEpoch { get; init; }
    public bool IsDeleted { get; init; }
}

/// <summary>Events of one persistence id that are stored all together or not at all.</summary>
public sealed class AtomicWrite
{
    public AtomicWrite(IReadOnlyList<PersistentRepr> payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Count == 0) throw new ArgumentException("An AtomicWrite needs at least one event.", nameof(payload));
        var first = payload[0];
        if (string.IsNullOrEmpty(first.PersistenceId)) throw new ArgumentException("Persistence id must not be empty.", nameof(payload));
        if (first.SequenceNr < 1) throw new ArgumentException($"Sequence numbers start at 1, got {first.SequenceNr} for '{first.PersistenceId}'.", nameof(payload));
        for (var i = 1; i < payload.Count; i++)
        {
            if (payload[i].PersistenceId != first.PersistenceId)
                throw new ArgumentException($"An AtomicWrite must hold one persistence id; got '{first.PersistenceId}' and '{payload[i].PersistenceId}'.", nameof(payload));
            if (payload[i].SequenceNr != first.SequenceNr + i)
                throw new ArgumentException($"Sequence numbers in an AtomicWrite must be consecutive; '{first.PersistenceId}' has {payload[i - 1].SequenceNr} then {payload[i].SequenceNr}.", nameof(payload));
        }
        Payload = payload;
    }

    public AtomicWrite(PersistentRepr single) : this([single]) { }

    public IReadOnlyList<PersistentRepr> Payload { get; }
    public string PersistenceId => Payload[0].PersistenceId;
    public long LowestSequenceNr => Payload[0].SequenceNr;
    public long HighestSequenceNr => Payload[^1].SequenceNr;
}

/// <summary>
/// An event already serialized by its writer (the persistent actor encodes at Persist time, so a rejection is known
/// before a sequence number is spent and the journal's writer thread does no JSON work).
/// </summary>
public sealed record SerializedEvent(string Manifest, byte[] Bytes);
