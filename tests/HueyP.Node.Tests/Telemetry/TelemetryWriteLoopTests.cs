using System.Collections.Concurrent;
using HueyP.Node.Telemetry;

namespace HueyP.Node.Tests.Telemetry;

/// <summary>
/// Telemetry's file I/O runs on one loop fed by a channel: lines are appended in the order they were queued, none is
/// lost when batches queue up, the state files end as the newest batch wrote them, and a refused write is reported
/// without stopping the loop.
/// </summary>
public sealed class TelemetryWriteLoopTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-telemetry-loop").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static TelemetryBatch Batch(int n) => new(
        [(TelemetryWriter.KpisFileName, $"{{\"n\":{n}}}\n")],
        new TelemetryLogLines($"{{\"n\":{n}}}\n", "", ""));

    [Fact]
    public async Task Batches_queued_faster_than_the_disk_keep_every_line_in_order_and_the_newest_state()
    {
        var settings = TelemetryFixtures.Settings(_folder);
        var results = new ConcurrentQueue<TelemetryWriteResult>();
        var loop = new TelemetryWriteLoop(new TelemetryWriter(settings), results.Enqueue);

        // Queued from several threads' worth of calls without waiting: the caller never blocks on the disk.
        var writes = Enumerable.Range(0, 500).Select(n => loop.Enqueue(Batch(n))).ToList();
        await Task.WhenAll(writes);
        await loop.DisposeAsync();

        var lines = await File.ReadAllLinesAsync(Path.Combine(settings.LogsDir, TelemetryWriter.EventsLogName));
        Assert.Equal(Enumerable.Range(0, 500).Select(n => $"{{\"n\":{n}}}"), lines);
        Assert.Equal("{\"n\":499}\n", await File.ReadAllTextAsync(Path.Combine(settings.StateDir, TelemetryWriter.KpisFileName)));
        Assert.All(results, r => Assert.Null(r.Error));
        // Coalesced or not, every batch was handled by some write, never more writes than batches.
        Assert.InRange(results.Count, 1, 500);
    }

    [Fact]
    public async Task A_refused_write_is_reported_and_the_next_one_still_happens()
    {
        var settings = TelemetryFixtures.Settings(_folder);
        // The state folder is a file: every state write is refused until it is removed.
        await File.WriteAllTextAsync(settings.StateDir, "not a folder");
        var results = new ConcurrentQueue<TelemetryWriteResult>();
        await using var loop = new TelemetryWriteLoop(new TelemetryWriter(settings), results.Enqueue);

        await loop.Enqueue(Batch(1));
        File.Delete(settings.StateDir);
        await loop.Enqueue(Batch(2));

        Assert.Equal(2, results.Count);
        Assert.NotNull(results.First().Error);
        Assert.Null(results.Last().Error);
        Assert.Equal("{\"n\":2}\n", await File.ReadAllTextAsync(Path.Combine(settings.StateDir, TelemetryWriter.KpisFileName)));
    }

    [Fact]
    public async Task Lines_a_refusing_disk_did_not_take_are_appended_in_order_once_it_takes_them_again()
    {
        var settings = TelemetryFixtures.Settings(_folder);
        // The logs folder is a file: every append is refused until it is removed.
        await File.WriteAllTextAsync(settings.LogsDir, "not a folder");
        var results = new ConcurrentQueue<TelemetryWriteResult>();
        await using var loop = new TelemetryWriteLoop(new TelemetryWriter(settings), results.Enqueue);

        await loop.Enqueue(Batch(1));
        await loop.Enqueue(Batch(2));
        File.Delete(settings.LogsDir);
        await loop.Enqueue(Batch(3));

        var lines = await File.ReadAllLinesAsync(Path.Combine(settings.LogsDir, TelemetryWriter.EventsLogName));
        Assert.Equal(["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"], lines);
        Assert.Equal(3, results.Count);
        Assert.All(results.Take(2), r => Assert.NotNull(r.Error));
        Assert.Null(results.Last().Error);
    }
}
