using System.Data.Common;
using System.Text;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HueyP.Persistence.Sqlite;

/// <summary>
/// The journal's event and tag rows on SQLite, through SQLite's own API on the writer connection: one prepared
/// single-row statement per table, values bound by position, run once per row inside the caller's transaction.
/// Microsoft.Data.Sqlite binds a named parameter by searching the statement's parameter names and allocates a binder
/// per value, which made binding, not SQLite, the cost of a write; on a local database a statement per row costs no
/// round trip. Rows, their order (and so their orderings), the hash chain and the transaction are exactly those of the
/// multi-row INSERT it replaces; a constraint violation surfaces as the same <see cref="SqliteException"/>.
/// </summary>
internal sealed class SqliteEventRows(SqliteDatabase database, JournalSettings settings)
{
    private readonly string _insertEvent =
        $"INSERT INTO {database.Tables.Journal} (persistence_id, sequence_nr, manifest, payload, tags, timestamp, writer_id, writer_epoch, deleted, hash) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, FALSE, ?9)";

    private readonly string _insertTag = $"INSERT INTO {database.Tables.Tags} (tag, ordering) VALUES (?1, ?2)";

    // Text is bound as zero-terminated UTF-8, exactly what SQLitePCL's string overload makes (and SQLite copies it at
    // bind time), but without a new array per value: the writer id and the few manifests once, the rest in one buffer.
    private readonly byte[] _writerId = utf8z.GetZeroTerminatedUTF8Bytes(settings.WriterId);
    private readonly Dictionary<string, byte[]> _manifests = new(StringComparer.Ordinal);
    private byte[] _text = new byte[256];

    public void Insert(DbConnection connection, IReadOnlyList<EncodedEvent> events, long epoch)
    {
        var handle = ((SqliteConnection)connection).Handle
            ?? throw new InvalidOperationException("the SQLite writer connection is not open");
        var insert = database.Prepared(connection, _insertEvent);
        sqlite3_stmt? insertTag = null;
        foreach (var e in events)
        {
            Check(BindText(insert, 1, e.PersistenceId), handle);
            Check(raw.sqlite3_bind_int64(insert, 2, e.SequenceNr), handle);
            Check(raw.sqlite3_bind_text(insert, 3, utf8z.FromSpan(Manifest(e.Manifest))), handle);
            Check(raw.sqlite3_bind_blob(insert, 4, e.Payload), handle);
            Check(BindText(insert, 5, e.Tags.Count == 0 ? "" : JournalRow.EncodeTags(e.Tags)), handle);
            Check(raw.sqlite3_bind_int64(insert, 6, e.TimestampTicks), handle);
            Check(raw.sqlite3_bind_text(insert, 7, utf8z.FromSpan(_writerId)), handle);
            Check(raw.sqlite3_bind_int64(insert, 8, epoch), handle);
            Check(raw.sqlite3_bind_blob(insert, 9, e.Hash), handle);
            Step(insert, handle);
            if (e.Tags.Count == 0) continue;

            var ordering = raw.sqlite3_last_insert_rowid(handle);
            insertTag ??= database.Prepared(connection, _insertTag);
            foreach (var tag in e.Tags)
            {
                Check(BindText(insertTag, 1, tag), handle);
                Check(raw.sqlite3_bind_int64(insertTag, 2, ordering), handle);
                Step(insertTag, handle);
            }
        }
    }

    private int BindText(sqlite3_stmt statement, int index, string value)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(value.Length) + 1;
        if (_text.Length < needed) _text = new byte[Math.Max(needed, _text.Length * 2)];
        var written = Encoding.UTF8.GetBytes(value, _text);
        _text[written] = 0;
        return raw.sqlite3_bind_text(statement, index, utf8z.FromSpan(_text.AsSpan(0, written + 1)));
    }

    private byte[] Manifest(string manifest)
    {
        if (_manifests.TryGetValue(manifest, out var bytes)) return bytes;
        // Manifests are the serializer's registered names, a few dozen; the bound only guards against the unexpected.
        if (_manifests.Count >= 1_000) _manifests.Clear();
        return _manifests[manifest] = utf8z.GetZeroTerminatedUTF8Bytes(manifest);
    }

    private static void Step(sqlite3_stmt statement, sqlite3 handle)
    {
        var rc = raw.sqlite3_step(statement);
        // Reset right away, also after an error: the statement must not stay active inside the transaction.
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, handle);
    }

    private static void Check(int rc, sqlite3 handle)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
    }
}
