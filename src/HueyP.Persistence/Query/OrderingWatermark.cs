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
/// all, not one per gap. And a gap whose next event was written at least QueryGapTimeout ago (by its writer's clock)
/// has been open that long already, whoever looks: a reader started long after it does not wait for it at all — a
/// standby restarted after a kill -9 would otherwise spend its first ten seconds behind the gaps earlier kills left.
/// (This trusts the nodes' clocks to agree to well within the timeout, which NTP gives.)
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
            var openedLongAgo = (context.Settings.Clock.GetUtcNow().UtcDateTime - context.Settings.QueryGapTimeout).Ticks;
            var open = new Dictionary<long, long>();
            var blocked = false;
            var previous = _safe;
            while (true)
            {
                var rows = await ReadOrderingsAfterAsync(previous, cancellationToken).ConfigureAwait(false);
                foreach (var (ordering, writtenTicks) in rows)
                {
                    if (ordering != previous + 1 && writtenTicks > openedLongAgo && !GapHasExpired(previous + 1, now, open)) blocked = true;
                    previous = ordering;
                    if (!blocked) _safe = ordering;
                }
                if (rows.Count < ScanPage) break;
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

    /// <summary>The orderings after <paramref name="after"/>, each with its event's time stamp (UTC ticks, the writer's clock).</summary>
    private async Task<List<(long Ordering, long WrittenTicks)>> ReadOrderingsAfterAsync(long after, CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
                $"SELECT ordering, timestamp FROM {context.Database.Tables.Journal} WHERE ordering > @after ORDER BY ordering LIMIT {ScanPage}")
            .With("@after", after);
        var rows = new List<(long, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return rows;
    }

    /// <summary>The highest ordering committed right now, gaps or not: where a Current* query ends.</summary>
    public async Task<long> ReadMaxOrderingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await context.Database.OpenReadConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command($"SELECT COALESCE(MAX(ordering), 0) FROM {context.Database.Tables.Journal}");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
