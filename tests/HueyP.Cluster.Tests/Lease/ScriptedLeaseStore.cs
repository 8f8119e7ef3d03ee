using System.Collections.Concurrent;
using HueyP.Cluster.Lease;

namespace HueyP.Cluster.Tests.Lease;

/// <summary>A lease store whose answers the test scripts; records renewals, releases and acquisition attempts.</summary>
internal sealed class ScriptedLeaseStore : ILeaseStore
{
    private int _acquisitions;

    public Func<AcquireOutcome> NextAcquire { get; set; } = () => throw new InvalidOperationException("no acquisition scripted");
    public Func<RenewOutcome> NextRenew { get; set; } = () => new Renewed(DateTimeOffset.UnixEpoch);
    public bool RenewHangs { get; set; }
    public ConcurrentQueue<long> Renewals { get; } = new();
    public ConcurrentQueue<long> Releases { get; } = new();
    public int Acquisitions => Volatile.Read(ref _acquisitions);

    public Task EnsureSchemaAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<AcquireOutcome> TryAcquireAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _acquisitions);
        return Task.FromResult(NextAcquire());
    }

    public Task<RenewOutcome> RenewAsync(long epoch, CancellationToken ct)
    {
        Renewals.Enqueue(epoch);
        return RenewHangs ? new TaskCompletionSource<RenewOutcome>().Task : Task.FromResult(NextRenew());
    }

    public Task ReleaseAsync(long epoch, CancellationToken ct)
    {
        Releases.Enqueue(epoch);
        return Task.CompletedTask;
    }

    public Task AbandonAsync() => Task.CompletedTask;
    public Task<LeaseView> ReadAsync(CancellationToken ct) => throw new NotSupportedException();
    public Task ReportAsync(MemberReport report, CancellationToken ct) => Task.CompletedTask;
    public Task<IReadOnlyList<MemberView>> MembersAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<MemberView>>([]);
    public Task<long> JournalHeadAsync(CancellationToken ct) => Task.FromResult(0L);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
