using HueyP.Cluster.Lease;
using HueyP.Cluster.Tests.Infrastructure;

namespace HueyP.Cluster.Tests.Lease;

/// <summary>The lease on a real PostgreSQL: who wins, when the other may take over, and that every win is a new epoch.</summary>
public sealed class PostgreSqlLeaseStoreTests : IAsyncLifetime
{
    private readonly PostgreSqlSchema _pg = new();
    private readonly List<PostgreSqlLeaseStore> _stores = [];

    private async Task<PostgreSqlLeaseStore> StoreAsync(string node, TimeSpan? ttl = null)
    {
        var store = new PostgreSqlLeaseStore(_pg.ConnectionString, _pg.Cluster(node, ttl));
        await store.EnsureSchemaAsync(CancellationToken.None);
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task Only_one_node_holds_the_lease_and_each_acquisition_is_a_new_epoch()
    {
        var a = await StoreAsync("node-a");
        var b = await StoreAsync("node-b");

        var first = Assert.IsType<Acquired>(await a.TryAcquireAsync(CancellationToken.None));
        var refused = Assert.IsType<HeldByOther>(await b.TryAcquireAsync(CancellationToken.None));

        Assert.Equal(1, first.Epoch);
        Assert.Equal("node-a", refused.Lease.Holder);
        Assert.False(refused.Lease.Expired);
        Assert.False(refused.EndedStaleHolder);
        Assert.IsType<Renewed>(await a.RenewAsync(first.Epoch, CancellationToken.None));

        await a.ReleaseAsync(first.Epoch, CancellationToken.None);
        var second = Assert.IsType<Acquired>(await b.TryAcquireAsync(CancellationToken.None));
        Assert.Equal(2, second.Epoch);
        Assert.IsType<RenewRefused>(await a.RenewAsync(first.Epoch, CancellationToken.None));
        var lease = await a.ReadAsync(CancellationToken.None);
        Assert.Equal(("node-b", 2L), (lease.Holder, lease.Epoch));
    }

    [Fact]
    public async Task A_crashed_holder_frees_its_advisory_lock_with_its_connection_so_the_standby_need_not_wait_for_the_ttl()
    {
        // A long TTL: if the takeover had to wait for it, the test would see HeldByOther.
        var a = await StoreAsync("node-a", TimeSpan.FromMinutes(5));
        var b = await StoreAsync("node-b", TimeSpan.FromMinutes(5));
        var first = Assert.IsType<Acquired>(await a.TryAcquireAsync(CancellationToken.None));

        await a.AbandonAsync(); // what PostgreSQL sees when a process is killed: the connection closes

        var second = await AcquireEventuallyAsync(b);
        Assert.Equal(first.Epoch + 1, second.Epoch);
        var refused = Assert.IsType<RenewRefused>(await a.RenewAsync(first.Epoch, CancellationToken.None));
        Assert.Contains("closed", refused.Reason);
    }

    [Fact]
    public async Task A_frozen_holder_keeps_its_lock_until_its_lease_expires_by_the_database_clock_then_its_session_is_ended()
    {
        var ttl = TimeSpan.FromSeconds(1);
        var a = await StoreAsync("node-a", ttl);
        var b = await StoreAsync("node-b", ttl);
        var first = Assert.IsType<Acquired>(await a.TryAcquireAsync(CancellationToken.None));

        var early = Assert.IsType<HeldByOther>(await b.TryAcquireAsync(CancellationToken.None));
        Assert.False(early.EndedStaleHolder);

        // node-a stops renewing (frozen): after the TTL the standby ends its session and wins.
        var second = await AcquireEventuallyAsync(b);
        Assert.Equal(first.Epoch + 1, second.Epoch);
        var lease = await b.ReadAsync(CancellationToken.None);
        Assert.Equal("node-b", lease.Holder);
        Assert.IsType<RenewRefused>(await a.RenewAsync(first.Epoch, CancellationToken.None));
    }

    [Fact]
    public async Task Members_report_their_role_and_lag_for_cluster_show()
    {
        var a = await StoreAsync("node-a");
        var b = await StoreAsync("node-b");
        await a.ReportAsync(new MemberReport("active", 3, 120, 0, 0), CancellationToken.None);
        await b.ReportAsync(new MemberReport("standby", 0, 117, 3, 41.5), CancellationToken.None);
        await b.ReportAsync(new MemberReport("standby", 0, 120, 0, 2.5), CancellationToken.None);

        var members = await a.MembersAsync(CancellationToken.None);

        Assert.Equal(["node-a", "node-b"], members.Select(m => m.Node));
        Assert.Equal(("active", 3L), (members[0].Role, members[0].Epoch));
        Assert.Equal((120L, 0L, 2.5), (members[1].TailOffset, members[1].LagEvents, members[1].LagMs));
    }

    private static async Task<Acquired> AcquireEventuallyAsync(PostgreSqlLeaseStore store)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await store.TryAcquireAsync(CancellationToken.None) is Acquired acquired) return acquired;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the lease was not acquired within 30 s");
            await Task.Delay(50);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        await _pg.DisposeAsync();
    }
}
