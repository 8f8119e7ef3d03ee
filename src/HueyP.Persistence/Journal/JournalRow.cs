using System.Data.Common;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Journal;

/// <summary>An event row exactly as stored, payload still encoded. Used by inspection, export and verification.</summary>
public sealed record JournalRow(
    long Ordering,
    string PersistenceId,
    long SequenceNr,
    string Manifest,
    byte[] Payload,
    IReadOnlyList<string> Tags,
    DateTime Timestamp,
    string WriterId,
    long WriterEpoch,
    bool Deleted,
    byte[] Hash)
{
    internal const string Columns = "ordering, persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash";

    internal static JournalRow Read(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetInt64(2),
        reader.GetString(3),
        reader.GetFieldValue<byte[]>(4),
        DecodeTags(reader.GetString(5)),
        new DateTime(reader.GetInt64(6), DateTimeKind.Utc),
        reader.GetString(7),
        reader.GetInt64(8),
        reader.ReadBoolean(9),
        reader.GetFieldValue<byte[]>(10));

    // Tags are validated not to contain commas, so a comma-joined column round-trips.
    internal static string EncodeTags(IReadOnlyList<string> tags) => string.Join(',', tags);

    internal static IReadOnlyList<string> DecodeTags(string tags) =>
        tags.Length == 0 ? [] : tags.Split(',');
}
