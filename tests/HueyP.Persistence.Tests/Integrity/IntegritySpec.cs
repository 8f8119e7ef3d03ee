using System.Text.Json;
using HueyP.Persistence.Integrity;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.Integrity;

/// <summary>Tamper evidence (hash chains) and the operator views the CLI is built on.</summary>
public abstract class IntegritySpec : PersistenceSpec
{
    private async Task<PersistenceStore> JournalAsync()
    {
        var store = Store();
        await WriteAsync(store, "order-1", 1, 5, "orders");
        await WriteAsync(store, "order-2", 1, 3, "orders", "vip");
        return store;
    }

    private string Journal => Backend.Table("event_journal");

    [StorageFact]
    public async Task An_untouched_journal_verifies()
    {
        var store = await JournalAsync();
        var report = await store.Verifier.VerifyAsync();
        Assert.True(report.IsIntact);
        Assert.Equal(8, report.EventsChecked);
        Assert.Equal(2, report.PersistenceIdsChecked);
    }

    [StorageFact]
    public async Task An_edited_payload_is_reported_at_its_row()
    {
        var store = await JournalAsync();
        await Backend.ExecuteAsync($"UPDATE {Journal} SET payload = {Backend.Utf8Bytes("{\"Text\":\"forged\"}")} WHERE persistence_id = 'order-1' AND sequence_nr = 3");
        var violation = (await store.Verifier.VerifyAsync()).FirstViolation;
        Assert.Equal(new { Kind = ViolationKind.HashMismatch, Id = "order-1", Seq = 3L }, new { violation!.Kind, Id = violation.PersistenceId, Seq = violation.SequenceNr });
        Assert.True((await store.Verifier.VerifyAsync("order-2")).IsIntact);
    }

    [StorageFact]
    public async Task A_deleted_row_is_reported_as_a_sequence_gap()
    {
        var store = await JournalAsync();
        await Backend.ExecuteAsync($"DELETE FROM {Journal} WHERE persistence_id = 'order-1' AND sequence_nr = 2");
        var violation = (await store.Verifier.VerifyAsync()).FirstViolation;
        Assert.Equal(ViolationKind.SequenceGap, violation!.Kind);
        Assert.Equal(("order-1", 3L), (violation.PersistenceId, violation.SequenceNr));
        Assert.Contains("2..2", violation.Description);
    }

    [StorageFact]
    public async Task Two_rows_with_swapped_payloads_are_reported()
    {
        var store = await JournalAsync();
        await Backend.ExecuteAsync($"""
            UPDATE {Journal} SET payload = (SELECT payload FROM {Journal} WHERE persistence_id = 'order-1' AND sequence_nr = 4)
              WHERE persistence_id = 'order-1' AND sequence_nr = 2;
            UPDATE {Journal} SET payload = {Backend.Utf8Bytes("{\"Text\":\"order-1-2\"}")}
              WHERE persistence_id = 'order-1' AND sequence_nr = 4;
            """);
        var violation = (await store.Verifier.VerifyAsync()).FirstViolation;
        Assert.Equal((ViolationKind.HashMismatch, "order-1", 2L), (violation!.Kind, violation.PersistenceId, violation.SequenceNr));
    }

    [StorageFact]
    public async Task Reordered_rows_are_reported()
    {
        var store = await JournalAsync();
        // Swap the sequence numbers of events 2 and 3 (through a free number, to pass the unique constraint).
        await Backend.ExecuteAsync($"""
            UPDATE {Journal} SET sequence_nr = 1000 WHERE persistence_id = 'order-2' AND sequence_nr = 2;
            UPDATE {Journal} SET sequence_nr = 2 WHERE persistence_id = 'order-2' AND sequence_nr = 3;
            UPDATE {Journal} SET sequence_nr = 3 WHERE persistence_id = 'order-2' AND sequence_nr = 1000;
            """);
        var violation = (await store.Verifier.VerifyAsync()).FirstViolation;
        Assert.Equal(("order-2", 2L), (violation!.PersistenceId, violation.SequenceNr));
        Assert.Equal(ViolationKind.HashMismatch, violation.Kind); // the chain links seq 2 to the wrong content and predecessor
    }

    [StorageFact]
    public async Task Stats_count_events_ids_tags_and_snapshots()
    {
        var store = await JournalAsync();
        await store.Journal.DeleteMessagesToAsync("order-1", 2);
        await store.SnapshotStore.SaveAsync(new HueyP.Persistence.Snapshots.SnapshotMetadata("order-1", 2), new AccountSnapshot("a", 1, ""));
        var stats = await store.Inspector.GetStatsAsync();
        Assert.Equal((8L, 2L, 2L, 2L, 1L, 8L), (stats.Events, stats.DeletedEvents, stats.PersistenceIds, stats.Tags, stats.Snapshots, stats.HighestOrdering));
        Assert.True(stats.SizeBytes > 0);
    }

    [StorageFact]
    public async Task Lists_events_of_an_id_and_tags_with_counts()
    {
        var store = await JournalAsync();
        var rows = new List<HueyP.Persistence.Journal.JournalRow>();
        await foreach (var row in store.Inspector.ListEventsAsync("order-2")) rows.Add(row);
        Assert.Equal([1, 2, 3], rows.Select(r => r.SequenceNr));
        Assert.Equal(["orders", "vip"], rows[0].Tags);
        Assert.Equal("{\"Text\":\"order-2-1\"}", System.Text.Encoding.UTF8.GetString(rows[0].Payload));

        var tags = new List<TagSummary>();
        await foreach (var tag in store.Inspector.ListTagsAsync()) tags.Add(tag);
        Assert.Equal([new TagSummary("orders", 8), new TagSummary("vip", 3)], tags);
    }

    [StorageFact]
    public async Task Exports_every_event_as_one_json_line()
    {
        var store = await JournalAsync();
        using var output = new MemoryStream();
        Assert.Equal(8, await store.Inspector.ExportJsonLinesAsync(output));
        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("order-1", first.RootElement.GetProperty("persistence_id").GetString());
        Assert.Equal(1, first.RootElement.GetProperty("sequence_nr").GetInt64());
        Assert.Equal("Note.v1", first.RootElement.GetProperty("manifest").GetString());
        Assert.Equal("order-1-1", first.RootElement.GetProperty("payload").GetProperty("Text").GetString());
        Assert.Equal(64, first.RootElement.GetProperty("hash").GetString()!.Length);
    }
}

public sealed class SqliteIntegritySpec : IntegritySpec
{
    protected override StorageBackend CreateBackend() => new SqliteBackend();
}

[RequiresPostgreSql]
public sealed class PostgreSqlIntegritySpec : IntegritySpec
{
    protected override StorageBackend CreateBackend() => new PostgreSqlBackend();
}
