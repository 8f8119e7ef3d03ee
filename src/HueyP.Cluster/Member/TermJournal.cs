using System.Text.Json.Serialization;
using HueyP.Persistence;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;

namespace HueyP.Cluster.Member;

/// <summary>A node began trading under an epoch: the first write of every term, so the journal tells the terms apart.</summary>
public sealed record TermBegan(string Node, long Epoch, DateTime AtUtc);

/// <summary>
/// Optional periodic write of the active (write-probe-interval): shows that its writes still pass the fence. A node
/// running a drill feed also records how far it has fed (data time), so the next active resumes from there.
/// </summary>
public sealed record TermHeartbeat(string Node, long Epoch, long Beat, DateTime AtUtc, DateTime? FedUntilUtc = null);

[JsonSerializable(typeof(TermBegan))]
[JsonSerializable(typeof(TermHeartbeat))]
internal sealed partial class TermJson : JsonSerializerContext;

/// <summary>
/// The stream <c>cluster-terms</c>: one <see cref="TermBegan"/> per term, written through the fence before the engine
/// starts (a node that cannot write it does not trade), and the optional heartbeats. Only one node writes at a time,
/// so the next sequence number is read once at the start of each term.
/// </summary>
public sealed class TermJournal(PersistenceStore store, string node, TimeProvider clock)
{
    public const string PersistenceId = "cluster-terms";
    private long _nextSequenceNr;
    private long _beats;
    private long _fencedWrites;

    public static void Register(EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        serializer.Register("cluster.TermBegan.v1", TermJson.Default.TermBegan)
            .Register("cluster.TermHeartbeat.v1", TermJson.Default.TermHeartbeat);
    }

    /// <summary>How far this node's drill feed has fed, written with every heartbeat (null: no drill feed).</summary>
    public Func<DateTime?> FedUntil { get; set; } = () => null;

    /// <summary>Writes this node refused by the fence so far (each would have been a split-brain write).</summary>
    public long FencedWrites => Interlocked.Read(ref _fencedWrites);

    public async Task BeginAsync(long epoch, CancellationToken ct)
    {
        _nextSequenceNr = await store.Journal.ReadHighestSequenceNrAsync(PersistenceId, 0, ct).ConfigureAwait(false) + 1;
        await WriteAsync(new TermBegan(node, epoch, clock.GetUtcNow().UtcDateTime), ct).ConfigureAwait(false);
    }

    /// <summary>False when the fence refused it: this node is no longer the writer.</summary>
    public async Task<bool> HeartbeatAsync(long epoch, CancellationToken ct)
    {
        try
        {
            await WriteAsync(new TermHeartbeat(node, epoch, Interlocked.Increment(ref _beats), clock.GetUtcNow().UtcDateTime, FedUntil()), ct).ConfigureAwait(false);
            return true;
        }
        catch (WriteFencedException)
        {
            return false;
        }
    }

    /// <summary>
    /// The newest drill-feed position any term recorded, read from the last <paramref name="window"/> events of the
    /// stream (heartbeats come often, so the previous term's last one is near the end); null when none recorded one.
    /// </summary>
    public async Task<DateTime?> LastFedUntilAsync(CancellationToken ct, long window = 500)
    {
        var highest = await store.Journal.ReadHighestSequenceNrAsync(PersistenceId, 0, ct).ConfigureAwait(false);
        DateTime? fed = null;
        await store.Journal.ReplayMessagesAsync(PersistenceId, Math.Max(1, highest - window + 1), highest, window, repr =>
        {
            if (repr.Payload is TermHeartbeat { FedUntilUtc: { } at } && (fed is null || at > fed)) fed = at;
        }, ct).ConfigureAwait(false);
        return fed;
    }

    private async Task WriteAsync(object payload, CancellationToken ct)
    {
        try
        {
            var results = await store.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(payload, PersistenceId, _nextSequenceNr))], ct).ConfigureAwait(false);
            if (results[0] is { } rejected) throw rejected;
            _nextSequenceNr++;
        }
        catch (WriteFencedException)
        {
            Interlocked.Increment(ref _fencedWrites);
            throw;
        }
    }
}
