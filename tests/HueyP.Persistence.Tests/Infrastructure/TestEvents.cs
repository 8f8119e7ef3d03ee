using System.Text.Json.Serialization;
using HueyP.Persistence.Serialization;

namespace HueyP.Persistence.Tests.Infrastructure;

public sealed record Note(string Text);
public sealed record Deposited(string Account, decimal Amount);
public sealed record OrderPlacedV1(string OrderId, int Qty);
public sealed record OrderPlaced(string OrderId, int Quantity, string Venue);
public sealed record NotRegistered(string Text);
public sealed record AccountSnapshot(string Account, decimal Balance, string Filler);

[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(Deposited))]
[JsonSerializable(typeof(OrderPlacedV1))]
[JsonSerializable(typeof(OrderPlaced))]
[JsonSerializable(typeof(NotRegistered))]
[JsonSerializable(typeof(AccountSnapshot))]
internal sealed partial class TestJson : JsonSerializerContext;

internal static class TestEvents
{
    public static EventSerializer Serializer() => new EventSerializer()
        .Register("Note.v1", TestJson.Default.Note)
        .Register("Deposited.v1", TestJson.Default.Deposited)
        .Register("AccountSnapshot.v1", TestJson.Default.AccountSnapshot);
}
