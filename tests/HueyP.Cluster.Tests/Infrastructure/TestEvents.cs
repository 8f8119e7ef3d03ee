using System.Text.Json.Serialization;
using HueyP.Persistence.Serialization;

namespace HueyP.Cluster.Tests.Infrastructure;

public sealed record Note(string Text);

[JsonSerializable(typeof(Note))]
internal sealed partial class TestJson : JsonSerializerContext;

internal static class TestEvents
{
    public static EventSerializer Serializer() => new EventSerializer().Register("Note.v1", TestJson.Default.Note);

    public static HueyP.Persistence.Journal.AtomicWrite Write(string persistenceId, long sequenceNr, string text) =>
        new(new HueyP.Persistence.Journal.PersistentRepr(new Note(text), persistenceId, sequenceNr));
}
