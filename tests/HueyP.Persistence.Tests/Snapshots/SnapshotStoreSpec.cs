using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;
using HueyP.Persistence.Snapshots;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.Snapshots;

/// <summary>Snapshot store conformance, after Akka.Persistence.TCK's SnapshotStoreSpec.</summary>
public abstract class SnapshotStoreSpec : PersistenceSpec
{
    private const string Pid = "account-1";
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private static AccountSnapshot State(long seq) => new(Pid, seq * 10, "");

    /// <summary>Snapshots at sequence numbers 1..5, taken one minute apart from T0.</summary>
    private async Task<(ISnapshotStore Store, List<SnapshotMetadata> Saved)> FiveSnapshotsAsync()
    {
        var store = Store().SnapshotStore;
        var saved = new List<SnapshotMetadata>();
        for (var seq = 1; seq <= 5; seq++)
        {
            var metadata = new SnapshotMetadata(Pid, seq, T0.AddMinutes(seq));
            await store.SaveAsync(metadata, State(seq));
            saved.Add(metadata);
        }
        return (store, saved);
    }

    [StorageFact]
    public async Task Loading_without_any_snapshot_returns_none()
    {
        var store = Store().SnapshotStore;
        Assert.Null(await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest));
    }

    [StorageFact]
    public async Task Loads_the_latest_snapshot_with_its_metadata()
    {
        var (store, saved) = await FiveSnapshotsAsync();
        var loaded = await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest);
        Assert.NotNull(loaded);
        Assert.Equal(saved[4], loaded.Metadata);
        Assert.Equal(State(5), loaded.Snapshot);
    }

    [StorageFact]
    public async Task Max_sequence_number_bound_is_inclusive()
    {
        var (store, saved) = await FiveSnapshotsAsync();
        var loaded = await store.LoadAsync(Pid, new SnapshotSelectionCriteria(3));
        Assert.Equal(saved[2], loaded?.Metadata);
        Assert.Equal(State(3), loaded?.Snapshot);
    }

    [StorageFact]
    public async Task Max_timestamp_bound_is_inclusive()
    {
        var (store, saved) = await FiveSnapshotsAsync();
        var loaded = await store.LoadAsync(Pid, new SnapshotSelectionCriteria(long.MaxValue, saved[1].Timestamp));
        Assert.Equal(saved[1], loaded?.Metadata);
        Assert.Null(await store.LoadAsync(Pid, new SnapshotSelectionCriteria(long.MaxValue, saved[0].Timestamp.AddTicks(-1))));
    }

    [StorageFact]
    public async Task Both_max_bounds_apply_together()
    {
        var (store, saved) = await FiveSnapshotsAsync();
        Assert.Equal(saved[1], (await store.LoadAsync(Pid, new SnapshotSelectionCriteria(4, saved[1].Timestamp)))?.Metadata);
        Assert.Equal(saved[2], (await store.LoadAsync(Pid, new SnapshotSelectionCriteria(3, saved[4].Timestamp)))?.Metadata);
    }

    [StorageFact]
    public async Task Min_bounds_are_inclusive_and_exclude_older_snapshots()
    {
        var (store, saved) = await FiveSnapshotsAsync();
        Assert.Equal(saved[2], (await store.LoadAsync(Pid, new SnapshotSelectionCriteria(3, DateTime.MaxValue, MinSequenceNr: 3)))?.Metadata);
        Assert.Null(await store.LoadAsync(Pid, new SnapshotSelectionCriteria(2, DateTime.MaxValue, MinSequenceNr: 3)));
        Assert.Equal(saved[3], (await store.LoadAsync(Pid, new SnapshotSelectionCriteria(4, DateTime.MaxValue, 0, saved[3].Timestamp)))?.Metadata);
        Assert.Null(await store.LoadAsync(Pid, new SnapshotSelectionCriteria(3, DateTime.MaxValue, 0, saved[3].Timestamp)));
    }

    [StorageFact]
    public async Task Criteria_none_matches_nothing()
    {
        var (store, _) = await FiveSnapshotsAsync();
        Assert.Null(await store.LoadAsync(Pid, SnapshotSelectionCriteria.None));
    }

    [StorageFact]
    public async Task Deletes_a_single_snapshot_by_its_metadata()
    {
        var (store, saved) = await FiveSnapshotsAsync();
        await store.DeleteAsync(saved[2]);
        Assert.Equal(saved[1], (await store.LoadAsync(Pid, new SnapshotSelectionCriteria(3)))?.Metadata);
        Assert.Equal(saved[4], (await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest))?.Metadata);
    }

    [StorageFact]
    public async Task Deletes_every_snapshot_matching_criteria()
    {
        var (store, saved) = await FiveSnapshotsAsync();
        await store.DeleteAsync(Pid, new SnapshotSelectionCriteria(3, saved[2].Timestamp));
        Assert.Null(await store.LoadAsync(Pid, new SnapshotSelectionCriteria(3)));
        Assert.Equal(saved[4], (await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest))?.Metadata);
    }

    [StorageFact]
    public async Task Deleting_by_criteria_leaves_other_ids_alone()
    {
        var (store, _) = await FiveSnapshotsAsync();
        await store.SaveAsync(new SnapshotMetadata("other", 1, T0), State(1));
        await store.DeleteAsync(Pid, SnapshotSelectionCriteria.Latest);
        Assert.Null(await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest));
        Assert.NotNull(await store.LoadAsync("other", SnapshotSelectionCriteria.Latest));
    }

    [StorageFact]
    public async Task Saving_again_at_the_same_sequence_number_replaces_the_snapshot()
    {
        var store = Store().SnapshotStore;
        await store.SaveAsync(new SnapshotMetadata(Pid, 7, T0), new AccountSnapshot(Pid, 1, "first"));
        await store.SaveAsync(new SnapshotMetadata(Pid, 7, T0.AddSeconds(1)), new AccountSnapshot(Pid, 2, "second"));
        var loaded = await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest);
        Assert.Equal(new AccountSnapshot(Pid, 2, "second"), loaded?.Snapshot);
        Assert.Equal(T0.AddSeconds(1), loaded?.Metadata.Timestamp);
        Assert.Equal(1, (await Store().Inspector.GetStatsAsync()).Snapshots);
    }

    [StorageFact]
    public async Task A_10_KB_snapshot_round_trips()
    {
        var store = Store().SnapshotStore;
        var big = new AccountSnapshot(Pid, 123.45m, string.Concat(Enumerable.Range(0, 10_240).Select(i => (char)('a' + i % 26))));
        await store.SaveAsync(new SnapshotMetadata(Pid, 1, T0), big);
        Assert.Equal(big, (await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest))?.Snapshot);
    }

    [StorageFact]
    public async Task A_snapshot_saved_without_timestamp_gets_the_current_time()
    {
        var store = Store().SnapshotStore;
        var before = DateTime.UtcNow.AddSeconds(-1);
        await store.SaveAsync(new SnapshotMetadata(Pid, 1), State(1));
        Assert.InRange((await store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest))!.Metadata.Timestamp, before, DateTime.UtcNow.AddSeconds(1));
    }

    [StorageFact]
    public async Task Concurrent_saves_are_all_stored()
    {
        var store = Store().SnapshotStore;
        await Task.WhenAll(Enumerable.Range(1, 30).Select(seq => store.SaveAsync(new SnapshotMetadata(Pid, seq, T0.AddSeconds(seq)), State(seq))));
        for (var seq = 1; seq <= 30; seq++)
            Assert.Equal(State(seq), (await store.LoadAsync(Pid, new SnapshotSelectionCriteria(seq)))?.Snapshot);
        Assert.Equal(30, (await Store().Inspector.GetStatsAsync()).Snapshots);
    }

    [StorageFact]
    public async Task An_unregistered_snapshot_type_is_rejected_and_an_unreadable_one_reported()
    {
        var store = Store();
        var rejected = await Assert.ThrowsAsync<EventRejectedException>(() => store.SnapshotStore.SaveAsync(new SnapshotMetadata(Pid, 1, T0), new NotRegistered("x")));
        Assert.Contains(nameof(NotRegistered), rejected.Message);

        await store.SnapshotStore.SaveAsync(new SnapshotMetadata(Pid, 2, T0), State(2));
        var forgetful = Store(serializer: new EventSerializer());
        var error = await Assert.ThrowsAsync<EventDecodingException>(() => forgetful.SnapshotStore.LoadAsync(Pid, SnapshotSelectionCriteria.Latest));
        Assert.Contains("AccountSnapshot.v1", error.Message);
        Assert.Contains("sequence number 2", error.Message);
    }
}

public sealed class SqliteSnapshotStoreSpec : SnapshotStoreSpec
{
    protected override StorageBackend CreateBackend() => new SqliteBackend();
}

[RequiresPostgreSql]
public sealed class PostgreSqlSnapshotStoreSpec : SnapshotStoreSpec
{
    protected override StorageBackend CreateBackend() => new PostgreSqlBackend();
}
