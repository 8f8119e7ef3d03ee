using HueyP.Domain.Market;
using HueyP.Node.Cluster;

namespace HueyP.Node.Tests;

/// <summary>The drill feed's laps: data time only moves forward, and every lap trades on the weekdays it was recorded on.</summary>
public sealed class DrillFeedTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hueyp-drill-test").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_Thursday_to_Friday_file_comes_back_a_week_later_on_Thursday_not_on_the_closed_Saturday()
    {
        var file = Path.Combine(_folder, "EURUSD_ticks_2020-01-30.csv");
        await File.WriteAllTextAsync(file, """
            ts_event_ns,timestamp_as_stored,bid,ask,bid_size,ask_size
            1580380071336000000,2020-01-30T10:27:51.336000000,1.102740,1.102760,100000,100000
            1580489996198000000,2020-01-31T16:59:56.198000000,1.109440,1.109520,100000,100000
            """);
        // One tick per 10 ms step of the real clock: the test waits for three ticks (polled, generous), never for a speed.
        var feed = DrillFeed.Load(new DrillFeedSettings(file, "EURUSD", 100, TimeSpan.Zero), TimeProvider.System);
        var fed = new List<Quote>();

        feed.Start(null, q =>
        {
            lock (fed) fed.Add(q);
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            lock (fed)
            {
                if (fed.Count >= 3) break;
            }
            await Task.Delay(20);
        }
        await feed.StopAsync();

        List<Quote> first;
        lock (fed) first = fed.Take(3).ToList();
        Assert.Equal(3, first.Count);
        Assert.Equal(new DateTime(2020, 1, 30, 10, 27, 51, 336, DateTimeKind.Utc), first[0].TimeUtc);
        Assert.Equal(new DateTime(2020, 2, 6, 10, 27, 51, 336, DateTimeKind.Utc), first[2].TimeUtc);
        Assert.Equal(DayOfWeek.Thursday, first[2].TimeUtc.DayOfWeek);
    }
}
