using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Query;

/// <summary>
/// The highest ordering below which no event can still appear. PostgreSQL hands out orderings at insert time,
/// so a transaction holding ordering 41 may commit after the one holding 42: a reader that took 42 and moved its
/// offset on would never see 41. Tag and all-events queries therefore only read up to this watermark, which stops
/// at the first gap until the gap fills or has stayed open for QueryGapTimeout (then it was a rolled-back
/// transaction, or a transaction so slow that waiting longer would stall every projection).
/// On SQLite a single writer commits orderings in order, so gaps never wait.
/// </summary>
internal sealed class OrderingWatermark(StoreContext context)
{
    private const int ScanPage = 10_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _safe;
    private long _gapStart = -1;
    private long _gapSeenAtTicks;

    public async Task<long> AdvanceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                var orderings = await ReadOrderingsAfterAsync(_safe, cancellationToken).ConfigureAwait(false);
                foreach (var ordering in orderings)
                {
                    var expected = _safe + 1;
                    if (ordering != expected && !GapHasExpired(expected)) return _safe;
                    _safe = ordering;
                }
                if (orderings.Count < ScanPage) return _safe;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool GapHasExpired(long gapStart)
    {
        if (context.Database.Provider == JournalProvider.Sqlite) return true;
        var now = context.Settings.Clock.GetTimestamp();
        if (_gapStart != gapStart)
        {
            _gapStart = gapStart;
            _gapSeenAtTicks = now;
            return false;
        }
        return context.Settings.Clock.GetElapsedTime(_gapSeenAtTicks, now) >= context.Settings.QueryGapTimeout;
    }

    private async Task<List<long>> ReadOrderingsAfterAsync(long after, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
                $"SELECT ordering FROM {context.Database.Tables.Journal} WHERE ordering > @after ORDER BY ordering LIMIT {ScanPage}")
            .With("@after", after);
        var orderings = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) orderings.Add(reader.GetInt64(0));
        return orderings;
    }

    /// <summary>The highest ordering committed right now, gaps or not: where a Current* query ends.</summary>
    public async Task<long> ReadMaxOrderingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"SELECT COALESCE(MAX(ordering), 0) FROM {context.Database.Tables.Journal}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
