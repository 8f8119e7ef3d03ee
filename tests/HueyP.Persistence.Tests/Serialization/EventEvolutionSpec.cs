using System.Text.Json.Nodes;
using HueyP.Persistence.Journal;
using HueyP.Persistence.Serialization;
using HueyP.Persistence.Tests.Infrastructure;

namespace HueyP.Persistence.Tests.Serialization;

/// <summary>Old events keep replaying after their type changes; events that cannot be read stop replay loudly.</summary>
public abstract class EventEvolutionSpec : PersistenceSpec
{
    private static EventSerializer Version1() => new EventSerializer().Register("OrderPlaced.v1", TestJson.Default.OrderPlacedV1);

    private async Task WriteVersion1Async()
    {
        var old = Store(serializer: Version1());
        var results = await old.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(new OrderPlacedV1("o-1", 3), "order-1", 1))]);
        Assert.Null(results[0]);
    }

    [StorageFact]
    public async Task An_upcaster_replays_an_old_manifest_as_the_current_type()
    {
        await WriteVersion1Async();
        var current = new EventSerializer()
            .Register("OrderPlaced.v2", TestJson.Default.OrderPlaced)
            .RegisterUpcaster("OrderPlaced.v1", TestJson.Default.OrderPlacedV1, v1 => new OrderPlaced(v1.OrderId, v1.Qty, "XNAS"));
        var store = Store(serializer: current);
        var replayed = Assert.Single(await ReplayAsync(store, "order-1"));
        Assert.Equal(new OrderPlaced("o-1", 3, "XNAS"), replayed.Payload);
        Assert.Equal("OrderPlaced.v1", replayed.Manifest);

        await store.Journal.WriteMessagesAsync([new AtomicWrite(new PersistentRepr(new OrderPlaced("o-1", 4, "XLON"), "order-1", 2))]);
        Assert.Equal("OrderPlaced.v2", (await ReplayAsync(store, "order-1"))[1].Manifest);
        Assert.True((await store.Verifier.VerifyAsync()).IsIntact);
    }

    [StorageFact]
    public async Task A_json_upcaster_reshapes_an_old_payload()
    {
        await WriteVersion1Async();
        var current = new EventSerializer()
            .Register("OrderPlaced.v2", TestJson.Default.OrderPlaced)
            .RegisterJsonUpcaster("OrderPlaced.v1", "OrderPlaced.v2", node =>
            {
                var old = node.AsObject();
                return new JsonObject { ["OrderId"] = old["OrderId"]!.DeepClone(), ["Quantity"] = old["Qty"]!.DeepClone(), ["Venue"] = "XNAS" };
            });
        var store = Store(serializer: current);
        await foreach (var e in store.ReadJournal.CurrentEventsByPersistenceId("order-1"))
            Assert.Equal(new OrderPlaced("o-1", 3, "XNAS"), e.Event);
    }

    [StorageFact]
    public async Task An_unknown_manifest_stops_replay_with_id_sequence_number_and_manifest()
    {
        await WriteVersion1Async();
        var store = Store(serializer: TestEvents.Serializer());
        var error = await Assert.ThrowsAsync<EventDecodingException>(() => ReplayAsync(store, "order-1"));
        Assert.Contains("'order-1'", error.Message);
        Assert.Contains("sequence number 1", error.Message);
        Assert.Contains("'OrderPlaced.v1'", error.Message);
        Assert.Equal(("order-1", 1L, "OrderPlaced.v1"), (error.PersistenceId, error.SequenceNr, error.Manifest));
    }

    [StorageFact]
    public async Task A_corrupt_payload_stops_replay_and_queries_instead_of_being_skipped()
    {
        var store = Store();
        await WriteAsync(store, "p", 1, 3);
        await Backend.ExecuteAsync($"UPDATE {Backend.Table("event_journal")} SET payload = {Backend.Utf8Bytes("{not json")} WHERE persistence_id = 'p' AND sequence_nr = 2");
        var replayed = new List<PersistentRepr>();
        var error = await Assert.ThrowsAsync<EventDecodingException>(() => store.Journal.ReplayMessagesAsync("p", 1, long.MaxValue, long.MaxValue, replayed.Add));
        Assert.Contains("sequence number 2", error.Message);
        Assert.Contains("'Note.v1'", error.Message);
        Assert.Single(replayed);
        await Assert.ThrowsAsync<EventDecodingException>(async () =>
        {
            await foreach (var _ in store.ReadJournal.CurrentAllEvents()) { }
        });
    }
}

public sealed class SqliteEventEvolutionSpec : EventEvolutionSpec
{
    protected override StorageBackend CreateBackend() => new SqliteBackend();
}

[RequiresPostgreSql]
public sealed class PostgreSqlEventEvolutionSpec : EventEvolutionSpec
{
    protected override StorageBackend CreateBackend() => new PostgreSqlBackend();
}

public sealed class EventSerializerTests
{
    [Fact]
    public void Serializing_an_unregistered_type_names_the_type()
    {
        var error = Assert.Throws<EventSerializationException>(() => TestEvents.Serializer().Serialize(new NotRegistered("x")));
        Assert.Contains(nameof(NotRegistered), error.Message);
    }

    [Fact]
    public void A_manifest_can_have_only_one_reader()
    {
        var serializer = new EventSerializer().Register("OrderPlaced.v2", TestJson.Default.OrderPlaced);
        Assert.Throws<InvalidOperationException>(() => serializer.RegisterUpcaster("OrderPlaced.v2", TestJson.Default.OrderPlacedV1, v => v));
        Assert.Throws<ArgumentException>(() => serializer.Register("Bad manifest", TestJson.Default.Note));
    }

    [Fact]
    public void Json_upcasters_chain_across_versions()
    {
        var serializer = new EventSerializer()
            .Register("Note.v3", TestJson.Default.Note)
            .RegisterJsonUpcaster("Note.v1", "Note.v2", n => new JsonObject { ["Body"] = n["t"]!.DeepClone() })
            .RegisterJsonUpcaster("Note.v2", "Note.v3", n => new JsonObject { ["Text"] = n["Body"]!.DeepClone() });
        Assert.Equal(new Note("hi"), serializer.Deserialize("Note.v1", "{\"t\":\"hi\"}"u8.ToArray()));
    }
}
