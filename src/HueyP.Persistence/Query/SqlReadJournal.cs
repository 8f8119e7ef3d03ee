using System.Data.Common;
using System.Runtime.CompilerServices;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Query;

internal sealed class SqlReadJournal(StoreContext context) : IReadJournal
{
    private readonly TableNames _tables = context.Database.Tables;
    private readonly OrderingWatermark _watermark = new(context);

    internal OrderingWatermark Watermark => _watermark;
    private int PageSize => Math.Max(1, context.Settings.ReadPageSize);

    public IAsyncEnumerable<EventEnvelope> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr = 0, long toSequenceNr = long.MaxValue, CancellationToken cancellationToken = default) =>
        ByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, live: false, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> EventsByPersistenceId(string persistenceId, long fromSequenceNr = 0, long toSequenceNr = long.MaxValue, CancellationToken cancellationToken = default) =>
        ByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, live: true, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> CurrentEventsByTag(string tag, long offset = 0, CancellationToken cancellationToken = default) =>
        ByOrdering(tag, offset, live: false, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> EventsByTag(string tag, long offset = 0, CancellationToken cancellationToken = default) =>
        ByOrdering(tag, offset, live: true, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> CurrentAllEvents(long offset = 0, CancellationToken cancellationToken = default) =>
        ByOrdering(null, offset, live: false, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> AllEvents(long offset = 0, CancellationToken cancellationToken = default) =>
        ByOrdering(null, offset, live: true, cancellationToken);

    public IAsyncEnumerable<EventEnvelope> CurrentAllEventsAfterFencing(long offset = 0, CancellationToken cancellationToken = default) =>
        ByOrdering(null, offset, live: false, cancellationToken, holesArePermanent: true);

    public async IAsyncEnumerable<string> CurrentPersistenceIds([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var after = "";
        while (true)
        {
            var ids = new List<string>();
            await using (var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false))
            await using (var command = connection.Command(
                    $"SELECT DISTINCT persistence_id FROM {_tables.Journal} WHERE persistence_id > @after ORDER BY persistence_id LIMIT {PageSize}")
                .With("@after", after))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) ids.Add(reader.GetString(0));
            }
            foreach (var id in ids) yield return id;
            if (ids.Count < PageSize) yield break;
            after = ids[^1];
        }
    }

    private async IAsyncEnumerable<EventEnvelope> ByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr, bool live,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (live) context.Database.StartChangeListener(context.Changes);
        var next = Math.Max(1, fromSequenceNr);
        while (next <= toSequenceNr)
        {
            var change = context.Changes.NextChange;
            var rows = await ReadRowsAsync(
                $"SELECT {JournalRow.Columns} FROM {_tables.Journal} WHERE persistence_id = @pid AND sequence_nr >= @from AND sequence_nr <= @to AND deleted = FALSE ORDER BY sequence_nr LIMIT {PageSize}",
                command => command.With("@pid", persistenceId).With("@from", next).With("@to", toSequenceNr),
                cancellationToken).ConfigureAwait(false);
            foreach (var row in rows) yield return ToEnvelope(row);
            if (rows.Count > 0) next = rows[^1].SequenceNr + 1;
            // Reaching the bound ends the query now, not after the next change or poll.
            if (rows.Count == PageSize || next > toSequenceNr) continue;
            if (!live) yield break;
            await ChangeSignal.WaitAsync(change, context.Settings.QueryPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Tag (or, with tag null, all-events) query: reads only up to the ordering watermark, so nothing is skipped.</summary>
    private async IAsyncEnumerable<EventEnvelope> ByOrdering(string? tag, long offset, bool live, [EnumeratorCancellation] CancellationToken cancellationToken,
        bool holesArePermanent = false)
    {
        await context.EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        if (live) context.Database.StartChangeListener(context.Changes);
        var end = live ? long.MaxValue : await _watermark.ReadMaxOrderingAsync(cancellationToken).ConfigureAwait(false);
        var sql = tag is null
            ? $"SELECT {JournalRow.Columns} FROM {_tables.Journal} WHERE ordering > @after AND ordering <= @bound AND deleted = FALSE ORDER BY ordering LIMIT {PageSize}"
            : $"SELECT {Qualified("j")} FROM {_tables.Tags} t JOIN {_tables.Journal} j ON j.ordering = t.ordering WHERE t.tag = @tag AND t.ordering > @after AND t.ordering <= @bound AND j.deleted = FALSE ORDER BY t.ordering LIMIT {PageSize}";
        while (offset < end)
        {
            var change = context.Changes.NextChange;
            var bound = holesArePermanent ? end : Math.Min(end, await _watermark.AdvanceAsync(cancellationToken).ConfigureAwait(false));
            var after = offset;
            var rows = bound <= after
                ? []
                : await ReadRowsAsync(sql, command =>
                {
                    command.With("@after", after).With("@bound", bound);
                    if (tag is not null) command.With("@tag", tag);
                }, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows) yield return ToEnvelope(row);
            if (rows.Count == PageSize)
            {
                offset = rows[^1].Ordering;
                continue;
            }
            // Everything up to the watermark has been read, and nothing can still appear below it.
            offset = Math.Max(offset, bound);
            if (offset >= end) yield break;
            await ChangeSignal.WaitAsync(change, context.Settings.QueryPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Qualified(string alias) =>
        string.Join(", ", JournalRow.Columns.Split(", ").Select(column => $"{alias}.{column}"));

    private async Task<List<JournalRow>> ReadRowsAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(sql);
        bind(command);
        var rows = new List<JournalRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(JournalRow.Read(reader));
        return rows;
    }

    private EventEnvelope ToEnvelope(JournalRow row) =>
        new(row.Ordering, row.PersistenceId, row.SequenceNr, SqlJournal.Decode(row, context.Serializer), row.Timestamp, row.Tags, row.Manifest);
}
