using System.Diagnostics;
using System.Text.Json.Serialization;
using HueyP.Persistence.PersistentActors;
using HueyP.Persistence.Serialization;

namespace HueyP.Benchmarks.Journal;

/// <summary>The small event every benchmark persists (about 10 bytes of JSON).</summary>
public sealed record BenchEvent(long N);

[JsonSerializable(typeof(BenchEvent))]
internal sealed partial class JournalBenchJson : JsonSerializerContext;

internal static class BenchSerializer
{
    public const string Manifest = "BenchEvent.v1";

    public static EventSerializer Create() => new EventSerializer().Register(Manifest, JournalBenchJson.Default.BenchEvent);
}

/// <summary>Persist one event; Done gets the Stopwatch timestamp at which the handler ran.</summary>
internal sealed class PersistOne(long n)
{
    public long N { get; } = n;
    public TaskCompletionSource<long> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>PersistAll of Count events in one atomic write; Done completes when the last handler ran.</summary>
internal sealed class PersistBatch(int count)
{
    public int Count { get; } = count;
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A persistent actor that persists what it is told to and counts what it replays.</summary>
internal sealed class BenchActor : ReceivePersistentActor
{
    private readonly string _persistenceId;
    private long _replayed;

    public BenchActor(string persistenceId, Action<long>? onRecovered)
    {
        _persistenceId = persistenceId;
        Recover<BenchEvent>(_ => _replayed++);
        Recover<RecoveryCompleted>(_ => onRecovered?.Invoke(_replayed));
        Command<PersistOne>(c => Persist(new BenchEvent(c.N), _ => c.Done.TrySetResult(Stopwatch.GetTimestamp())));
        Command<PersistBatch>(c =>
        {
            var events = new BenchEvent[c.Count];
            for (var i = 0; i < events.Length; i++) events[i] = new BenchEvent(i);
            var last = c.Count - 1;
            PersistAll(events, e =>
            {
                if (e.N == last) c.Done.TrySetResult();
            });
        });
    }

    public override string PersistenceId => _persistenceId;
}
