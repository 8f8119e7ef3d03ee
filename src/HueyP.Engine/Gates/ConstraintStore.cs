using System.Text.Json.Serialization;
using HueyP.Domain.Constraints;
using HueyP.Persistence;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;

namespace HueyP.Engine.Gates;

/// <summary>The constraint set as stored in the journal: its JSON text and where it was seeded from.</summary>
public sealed record ConstraintSetStored(string Source, string Json, DateTime StoredAtUtc);

[JsonSerializable(typeof(ConstraintSetStored))]
internal sealed partial class ConstraintStoreJson : JsonSerializerContext;

/// <summary>
/// The constraint repository lives in the database, not in a file: on a node's first start the seed file
/// (data/constraints.json) is validated and stored as an event of the stream <c>constraint-repository</c>; later starts
/// read the newest stored set, so what gated a decision can be proven from the journal alone, and a changed seed file
/// does not silently change a running book. A new seed is taken only when it differs from what is stored.
/// </summary>
public static class ConstraintStore
{
    public const string PersistenceId = "constraint-repository";
    public const string Manifest = "ConstraintSetStored.v1";

    public static EventSerializer Register(EventSerializer serializer) =>
        serializer.CanSerialize(typeof(ConstraintSetStored)) ? serializer : serializer.Register(Manifest, ConstraintStoreJson.Default.ConstraintSetStored);

    public static async Task<ConstraintRepository> LoadOrSeedAsync(PersistenceStore store, string seedPath, DateTime nowUtc, CancellationToken ct = default)
    {
        var seed = ConstraintRepository.Load(seedPath); // validated first: a bad seed never reaches the journal
        var seedJson = await File.ReadAllTextAsync(seedPath, ct).ConfigureAwait(false);
        ConstraintSetStored? stored = null;
        long highest = 0;
        await store.Journal.ReplayMessagesAsync(PersistenceId, 1, long.MaxValue, long.MaxValue, repr =>
        {
            stored = (ConstraintSetStored)repr.Payload;
            highest = repr.SequenceNr;
        }, ct).ConfigureAwait(false);
        highest = Math.Max(highest, await store.Journal.ReadHighestSequenceNrAsync(PersistenceId, 0, ct).ConfigureAwait(false));

        if (stored is not null && stored.Json == seedJson)
        {
            return new ConstraintRepository($"journal {PersistenceId} #{highest} (seeded from {stored.Source})", ConstraintLoader.Parse(stored.Json));
        }

        var entry = new ConstraintSetStored(seedPath, seedJson, nowUtc);
        var results = await store.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(entry, PersistenceId, highest + 1))], ct).ConfigureAwait(false);
        if (results[0] is { } rejected)
        {
            throw new EngineStartException([$"{seedPath}: the constraint set could not be stored: {rejected.Message}"]);
        }

        return new ConstraintRepository($"journal {PersistenceId} #{highest + 1} (seeded from {seedPath})", seed.Constraints);
    }
}
