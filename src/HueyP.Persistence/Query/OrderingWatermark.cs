using HueyP.Persistence.Storage;

namespace HueyP.Persistence.Query;

/// <summary>
/// The highest ordering below which no event can still appear. PostgreSQL hands out orderings at insert time,
/// so a transaction holding ordering 41 may commit after the one holding 42: a reader that took 42 and moved its
/// offset on would never see 41. Tag and all-events queries therefore only read up to this watermark, which stops
/// at the first gap until the gap fills or has stayed open for QueryGapTimeout (then it was a rolled-back
/// transaction, or a transaction so slow that waiting longer would stall every projection).
/// Every gap up to the head gets its clock when a scan first sees it, not only the first one: a reader that starts on
/// a journal with many old gaps (a restarted node, a kill -9 that left two transactions open) waits one timeout in
/// all, not one per gap.
/// On SQLite a single writer commits orderings in order, so gaps never wait.
/// </summary>
internal sealed class OrderingWatermark(StoreContext context)
{
    private const int ScanPage = 10_000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _safe;
    private Dictionary<long, long> _gapsSeenAt = [];

    public async Task<long> AdvanceAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = context.Settings.Clock.GetTimestamp();
            var open = new Dictionary<long, long>();
            var blocked = false;
            var previous = _safe;
            while (true)
            {
                var orderings = await ReadOrderingsAfterAsync(previous, cancellationToken).ConfigureAwait(false);
                foreach (var ordering in orderings)
                {
                    if (ordering != previous + 1 && !GapHasExpired(previous + 1, now, open)) blocked = true;
                    previous = ordering;
                    if (!blocked) _safe = ordering;
                }
                if (orderings.Count < ScanPage) break;
            }
            // Gaps that filled or were passed are forgotten; the open ones keep the time they were first seen.
            _gapsSeenAt = open;
            return _safe;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool GapHasExpired(long gapStart, long now, Dictionary<long, long> open)
    {
        if (context.Database.Provider == JournalProvider.Sqlite) return true;
        if (!_gapsSeenAt.TryGetValue(gapStart, out var seenAt))
        {
            open[gapStart] = now;
            return false;
        }
        open[gapStart] = seenAt;
        return context.Settings.Clock.GetElapsedTime(seenAt, now) >= context.Settings.QueryGapTimeout;
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
