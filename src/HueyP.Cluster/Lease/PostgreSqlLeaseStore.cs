using System.Globalization;
using Npgsql;

namespace HueyP.Cluster.Lease;

/// <summary>
/// The lease on PostgreSQL. The active node keeps one dedicated session (no pooling) that holds a session-level
/// advisory lock: when the process dies, PostgreSQL sees the connection close and frees the lock at once, so the
/// standby need not wait for the TTL. The row (holder, epoch, expires_at) is the fencing token and the TTL, judged by
/// the database's clock (now()), never the nodes' clocks. A holder frozen past its TTL keeps its lock, so the
/// standby ends that holder's session (pg_terminate_backend, same role) and takes over on its next try.
/// </summary>
public sealed class PostgreSqlLeaseStore : ILeaseStore
{
    private const string ApplicationPrefix = "hueyp-lease";
    private readonly ClusterSettings _settings;
    private readonly string _sessionConnectionString;
    private readonly NpgsqlDataSource _pool;
    private readonly SemaphoreSlim _sessionGate = new(1, 1);
    private NpgsqlConnection? _session;

    public PostgreSqlLeaseStore(string connectionString, ClusterSettings settings)
    {
        _settings = settings;
        var session = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = $"{ApplicationPrefix}:{settings.NodeName}",
            // A renewal that cannot finish within the TTL is worthless: the lease is gone by then anyway.
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(settings.LeaseTtl.TotalSeconds)),
            Timeout = Math.Max(1, (int)Math.Ceiling(settings.LeaseTtl.TotalSeconds)),
            KeepAlive = 1,
        };
        _sessionConnectionString = session.ConnectionString;
        var pooled = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"hueyp-cluster:{settings.NodeName}" };
        _pool = NpgsqlDataSource.Create(pooled.ConnectionString);
    }

    private string LockKey => $"hueyp-lease:{_settings.Schema}:{_settings.LeaseName}";
    private long TtlMs => (long)_settings.LeaseTtl.TotalMilliseconds;

    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        await using var connection = await _pool.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('hueyp-cluster-schema'))", connection, transaction))
            await serialize.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using (var create = new NpgsqlCommand(LeaseSchema.Create(_settings), connection, transaction))
        {
            create.Parameters.AddWithValue("name", _settings.LeaseName);
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    public async Task<AcquireOutcome> TryAcquireAsync(CancellationToken ct)
    {
        await _sessionGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var session = await SessionAsync(ct).ConfigureAwait(false);
            bool locked;
            await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext(@key))", session))
            {
                tryLock.Parameters.AddWithValue("key", LockKey);
                locked = (bool)(await tryLock.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            if (!locked)
            {
                return await InspectHolderAsync(session, ct).ConfigureAwait(false);
            }

            try
            {
                await using var transaction = await session.BeginTransactionAsync(ct).ConfigureAwait(false);
                // A frozen writer's transaction may still hold its share lock on the row; do not wait for it forever.
                await using (var timeout = new NpgsqlCommand($"SET LOCAL lock_timeout = {TtlMs}", session, transaction))
                    await timeout.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                await using var take = new NpgsqlCommand(
                    $"""
                    UPDATE {_settings.LeaseTable}
                    SET holder = @me, epoch = epoch + 1, expires_at = now() + make_interval(secs => @ttl / 1000.0),
                        acquired_at = now(), holder_pid = pg_backend_pid()
                    WHERE name = @name
                    RETURNING epoch, expires_at
                    """, session, transaction);
                take.Parameters.AddWithValue("me", _settings.NodeName);
                take.Parameters.AddWithValue("ttl", TtlMs);
                take.Parameters.AddWithValue("name", _settings.LeaseName);
                long epoch;
                DateTime expires;
                await using (var reader = await take.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                        throw new InvalidOperationException($"the lease row '{_settings.LeaseName}' is missing from {_settings.LeaseTable}");
                    epoch = reader.GetInt64(0);
                    expires = reader.GetDateTime(1);
                }
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return new Acquired(epoch, new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)));
            }
            catch
            {
                // Whatever happened, this session must not keep the lock without the row.
                await DropSessionAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException)
        {
            await DropSessionAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _sessionGate.Release();
        }
    }

    /// <summary>Reads the holder; when its lease expired (database clock) its session is ended so its lock is freed.</summary>
    private async Task<AcquireOutcome> InspectHolderAsync(NpgsqlConnection session, CancellationToken ct)
    {
        var lease = await ReadAsync(session, ct).ConfigureAwait(false);
        if (!lease.Expired) return new HeldByOther(lease, false);
        await using var end = new NpgsqlCommand(
            $"""
            SELECT pg_terminate_backend(a.pid)
            FROM pg_stat_activity a JOIN {_settings.LeaseTable} l ON l.holder_pid = a.pid
            WHERE l.name = @name AND l.expires_at <= now() AND a.pid <> pg_backend_pid()
              AND a.application_name LIKE '{ApplicationPrefix}:%'
            """, session);
        end.Parameters.AddWithValue("name", _settings.LeaseName);
        var ended = await end.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
        return new HeldByOther(lease, ended);
    }

    public async Task<RenewOutcome> RenewAsync(long epoch, CancellationToken ct)
    {
        await _sessionGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_session is not { State: System.Data.ConnectionState.Open } session)
                return new RenewRefused("the lease session is closed (its advisory lock is gone)");
            await using var renew = new NpgsqlCommand(
                $"""
                UPDATE {_settings.LeaseTable} SET expires_at = now() + make_interval(secs => @ttl / 1000.0)
                WHERE name = @name AND holder = @me AND epoch = @epoch
                RETURNING expires_at
                """, session);
            renew.Parameters.AddWithValue("ttl", TtlMs);
            renew.Parameters.AddWithValue("name", _settings.LeaseName);
            renew.Parameters.AddWithValue("me", _settings.NodeName);
            renew.Parameters.AddWithValue("epoch", epoch);
            if (await renew.ExecuteScalarAsync(ct).ConfigureAwait(false) is DateTime expires)
                return new Renewed(new DateTimeOffset(DateTime.SpecifyKind(expires, DateTimeKind.Utc)));
            var now = await ReadAsync(session, ct).ConfigureAwait(false);
            await DropSessionAsync().ConfigureAwait(false);
            return new RenewRefused($"the lease was taken over: epoch {now.Epoch.ToString(CultureInfo.InvariantCulture)} is held by {now.Holder ?? "nobody"}");
        }
        catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException or InvalidOperationException)
        {
            await DropSessionAsync().ConfigureAwait(false);
            return new RenewRefused($"the lease session failed: {e.Message}");
        }
        finally
        {
            _sessionGate.Release();
        }
    }

    public async Task ReleaseAsync(long epoch, CancellationToken ct)
    {
        await _sessionGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_session is { State: System.Data.ConnectionState.Open } session)
            {
                await using var release = new NpgsqlCommand(
                    $"UPDATE {_settings.LeaseTable} SET expires_at = now() WHERE name = @name AND holder = @me AND epoch = @epoch", session);
                release.Parameters.AddWithValue("name", _settings.LeaseName);
                release.Parameters.AddWithValue("me", _settings.NodeName);
                release.Parameters.AddWithValue("epoch", epoch);
                await release.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                // Unlock before closing: a closed connection's backend frees its locks only when it gets to it.
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", session);
                await unlock.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException)
        {
            // Closing the session below frees the advisory lock; the row then simply expires.
        }
        finally
        {
            await DropSessionAsync().ConfigureAwait(false);
            _sessionGate.Release();
        }
    }

    public async Task AbandonAsync()
    {
        await _sessionGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropSessionAsync().ConfigureAwait(false);
        }
        finally
        {
            _sessionGate.Release();
        }
    }

    public async Task<LeaseView> ReadAsync(CancellationToken ct)
    {
        await using var connection = await _pool.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await ReadAsync(connection, ct).ConfigureAwait(false);
    }

    private async Task<LeaseView> ReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand(
            $"SELECT holder, epoch, expires_at, now(), acquired_at FROM {_settings.LeaseTable} WHERE name = @name", connection);
        read.Parameters.AddWithValue("name", _settings.LeaseName);
        await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            throw new InvalidOperationException($"the lease row '{_settings.LeaseName}' is missing from {_settings.LeaseTable}");
        return new LeaseView(
            _settings.LeaseName,
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.GetInt64(1),
            Utc(reader.GetFieldValue<DateTime>(2)),
            Utc(reader.GetDateTime(3)),
            reader.IsDBNull(4) ? null : Utc(reader.GetDateTime(4)));
    }

    // '-infinity' comes back as DateTime.MinValue with Npgsql's default infinity conversion.
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public async Task ReportAsync(MemberReport report, CancellationToken ct)
    {
        await using var connection = await _pool.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var upsert = new NpgsqlCommand(
            $"""
            INSERT INTO {_settings.MemberTable} (lease_name, node, role, epoch, admin_endpoint, tail_offset, lag_events, lag_ms, seen_at)
            VALUES (@lease, @node, @role, @epoch, @admin, @offset, @lag_events, @lag_ms, now())
            ON CONFLICT (lease_name, node) DO UPDATE SET role = EXCLUDED.role, epoch = EXCLUDED.epoch,
                admin_endpoint = EXCLUDED.admin_endpoint, tail_offset = EXCLUDED.tail_offset, lag_events = EXCLUDED.lag_events,
                lag_ms = EXCLUDED.lag_ms, seen_at = EXCLUDED.seen_at
            """, connection);
        upsert.Parameters.AddWithValue("lease", _settings.LeaseName);
        upsert.Parameters.AddWithValue("node", _settings.NodeName);
        upsert.Parameters.AddWithValue("role", report.Role);
        upsert.Parameters.AddWithValue("epoch", report.Epoch);
        upsert.Parameters.AddWithValue("admin", _settings.AdminEndpoint);
        upsert.Parameters.AddWithValue("offset", report.TailOffset);
        upsert.Parameters.AddWithValue("lag_events", report.LagEvents);
        upsert.Parameters.AddWithValue("lag_ms", report.LagMs);
        await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MemberView>> MembersAsync(CancellationToken ct)
    {
        await using var connection = await _pool.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var read = new NpgsqlCommand(
            $"SELECT node, role, epoch, admin_endpoint, tail_offset, lag_events, lag_ms, seen_at FROM {_settings.MemberTable} WHERE lease_name = @lease ORDER BY node",
            connection);
        read.Parameters.AddWithValue("lease", _settings.LeaseName);
        var members = new List<MemberView>();
        await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            members.Add(new MemberView(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetDouble(6), Utc(reader.GetDateTime(7))));
        }
        return members;
    }

    public async Task<long> JournalHeadAsync(CancellationToken ct)
    {
        await using var connection = await _pool.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var head = new NpgsqlCommand($"SELECT COALESCE(MAX(ordering), 0) FROM {_settings.JournalTable}", connection);
        return Convert.ToInt64(await head.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private async Task<NpgsqlConnection> SessionAsync(CancellationToken ct)
    {
        if (_session is { State: System.Data.ConnectionState.Open } open) return open;
        await DropSessionAsync().ConfigureAwait(false);
        var session = new NpgsqlConnection(_sessionConnectionString);
        await session.OpenAsync(ct).ConfigureAwait(false);
        _session = session;
        return session;
    }

    private async Task DropSessionAsync()
    {
        if (_session is null) return;
        var session = _session;
        _session = null;
        try
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or System.IO.IOException or ObjectDisposedException)
        {
            // A broken connection is closed either way; PostgreSQL drops its locks when it notices.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AbandonAsync().ConfigureAwait(false);
        await _pool.DisposeAsync().ConfigureAwait(false);
        // _sessionGate is not disposed: the lease actor's PostStop may still be waiting on it to drop the session.
    }
}
